using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using static OS2BorgerPC.Deploy.TenantProgram.Tests.Testing.RegisteredObjects;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>The tenant's way in through the platform's Gateway: every route behind the allow-list, and the jobs port never routed.</summary>
[Collection(PulumiCollection.Name)]
public sealed class GatewayTrafficTests
{
    [Fact]
    public async Task Every_route_is_a_target_of_an_allow_list_that_admits_exactly_the_client_source_ranges()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var routes = run.OfType(HttpRoute).Select(r => r.Name).ToList();
        routes.ShouldBe(["admin-site", "admin-site-https-redirect"], ignoreOrder: true);
        var policy = run.OfType(SecurityPolicy).ShouldHaveSingleItem().Spec();
        policy.Maps("targetRefs").Select(t => ((string)t["kind"], (string)t["name"])).ShouldBe(routes.Select(r => ("HTTPRoute", r)), ignoreOrder: true);
        var authorization = policy.Child("authorization");
        authorization["defaultAction"].ShouldBe("Deny");
        var rule = authorization.Maps("rules").ShouldHaveSingleItem();
        rule["action"].ShouldBe("Allow");
        rule.Child("principal").Strings("clientCIDRs").ShouldBe(["85.191.0.0/16", "10.70.0.0/16"]);
    }

    /// <summary>
    /// A policy's status needs its route (envoyproxy/gateway v1.9.0 internal/gatewayapi/securitypolicy.go), so the routes
    /// come first; the platform's Gateway-level SecurityPolicy refuses them until the allow-list, created last, is in force.
    /// </summary>
    [Fact]
    public async Task The_policies_are_created_after_the_routes_they_guard_and_the_allow_list_last()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var routes = run.OfType(HttpRoute).Select(r => r.Name).ToList();
        (await run.OptionsOf(BackendTrafficPolicy, "admin-site-body-limit").DependencyNames()).ShouldBe(routes, ignoreOrder: true);
        (await run.OptionsOf(SecurityPolicy, "admin-site-allow-list").DependencyNames()).ShouldBe([.. routes, "admin-site-body-limit"], ignoreOrder: true);
        foreach (var route in routes)
        {
            (await run.OptionsOf(HttpRoute, route).DependencyNames()).ShouldNotContain("admin-site-allow-list", route);
        }
    }

    [Fact]
    public async Task The_site_route_forwards_only_to_the_media_server_and_the_plain_listener_only_redirects()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var site = run.InputsOf(HttpRoute, "admin-site").Spec();
        site.Strings("hostnames").ShouldBe(["aarhus.borgerpc.dk"]);
        var parent = site.Maps("parentRefs").ShouldHaveSingleItem();
        (parent["kind"], parent["name"], parent["namespace"], parent["sectionName"]).ShouldBe(("Gateway", "os2borgerpc", "os2borgerpc-gateway", "https"));
        run.OfType(ListenerSet).ShouldBeEmpty("the platform's listener and certificate serve a host under its wildcard");
        run.OfType(Certificate).ShouldBeEmpty();
        var backend = site.Maps("rules").ShouldHaveSingleItem().Maps("backendRefs").ShouldHaveSingleItem();
        (backend["name"], backend.Int("port")).ShouldBe(("admin-site", 80));
        var redirect = run.InputsOf(HttpRoute, "admin-site-https-redirect").Spec();
        var gateway = redirect.Maps("parentRefs").ShouldHaveSingleItem();
        (gateway["kind"], gateway["name"], gateway["namespace"], gateway["sectionName"]).ShouldBe(("Gateway", "os2borgerpc", "os2borgerpc-gateway", "http"));
        var filter = redirect.Maps("rules").ShouldHaveSingleItem().Maps("filters").ShouldHaveSingleItem();
        filter.Child("requestRedirect")["scheme"].ShouldBe("https");
        redirect.Maps("rules").Single().Maps("backendRefs").ShouldBeEmpty();
    }

    [Fact]
    public async Task No_route_of_any_shipped_tenant_reaches_the_jobs_port()
    {
        foreach (var stack in new[] { "aarhus", "faelles-it", "demo" })
        {
            var run = await StackHarness.RunShipped(stack);

            var backends = run.OfType(HttpRoute).SelectMany(r => r.Spec().Maps("rules")).SelectMany(rule => rule.Maps("backendRefs")).ToList();
            backends.ShouldNotBeEmpty(stack);
            backends.ShouldAllBe(b => b.Int("port") != 8080 && (string)b["name"] != "admin-site-jobs", stack);
        }
    }

    [Fact]
    public async Task A_tenant_with_a_certificate_of_its_own_gets_its_own_listener_serving_it()
    {
        var run = await StackHarness.Run("aarhus", RepositoryRoot.StackText("aarhus").Replace("    gateway: {}", "    gateway:\n      certificate: http01"));

        var certificate = run.OfType(Certificate).ShouldHaveSingleItem().Spec();
        certificate.Strings("dnsNames").ShouldBe(["aarhus.borgerpc.dk"]);
        certificate.Child("issuerRef")["kind"].ShouldBe("ClusterIssuer");
        certificate.Child("issuerRef")["name"].ShouldBe("letsencrypt-http01");
        var listenerSet = run.OfType(ListenerSet).ShouldHaveSingleItem();
        listenerSet.Namespace().ShouldBe("os2borgerpc-aarhus");
        var spec = listenerSet.Spec();
        (spec.Child("parentRef")["name"], spec.Child("parentRef")["namespace"]).ShouldBe(("os2borgerpc", "os2borgerpc-gateway"));
        var listener = spec.Maps("listeners").ShouldHaveSingleItem();
        (listener["hostname"], listener.Int("port"), listener["protocol"]).ShouldBe(("aarhus.borgerpc.dk", 443, "HTTPS"));
        listener.Child("tls").Maps("certificateRefs").ShouldHaveSingleItem()["name"].ShouldBe(certificate["secretName"]);
        var parent = run.InputsOf(HttpRoute, "admin-site").Spec().Maps("parentRefs").ShouldHaveSingleItem();
        (parent["kind"], parent["name"], parent["sectionName"]).ShouldBe(("ListenerSet", "admin-site", "https"));
        parent.ShouldNotContainKey("namespace");
        var bodyLimit = run.OfType(BackendTrafficPolicy).ShouldHaveSingleItem().Spec();
        bodyLimit.Child("requestBuffer")["limit"].ShouldBe("100Mi");
    }

    /// <summary>pulumi-kubernetes v4.32.0 provider/pkg/await/condition/custom.go: "condition=Ready" waits for status.conditions Ready=True.</summary>
    [Fact]
    public async Task A_tenant_with_a_certificate_of_its_own_waits_until_it_is_issued_and_its_listener_accepted()
    {
        var run = await StackHarness.Run("aarhus", RepositoryRoot.StackText("aarhus").Replace("    gateway: {}", "    gateway:\n      certificate: http01"));

        Annotations(run.OfType(Certificate).ShouldHaveSingleItem())["pulumi.com/waitFor"].ShouldBe("""["condition=Ready"]""");
        Annotations(run.OfType(ListenerSet).ShouldHaveSingleItem())["pulumi.com/waitFor"].ShouldBe("""["condition=Accepted"]""");
        Annotations(run.OfType(Certificate).Single())["pulumi.com/timeoutSeconds"].ShouldBe("300");
    }

    private static IDictionary<string, object> Annotations(RegisteredInputs registered) => registered.Inputs["metadata"] is IDictionary<string, object> m ? (IDictionary<string, object>)m["annotations"] : throw new InvalidOperationException();
}
