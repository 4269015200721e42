using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using static OS2BorgerPC.Deploy.TenantProgram.Tests.Testing.RegisteredObjects;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>Every municipality's program, as `tenant new` would create it: each stays inside its own names.</summary>
[Collection(PulumiCollection.Name)]
public sealed class FleetIsolationTests
{
    [Fact]
    public async Task All_98_municipalities_build_graphs_that_share_no_name_and_stay_in_their_own_namespace()
    {
        var claimed = new Dictionary<string, string>();
        foreach (var municipality in MunicipalityRegister.All)
        {
            var run = await StackHarness.RunMunicipality(municipality);
            var ns = $"os2borgerpc-{municipality.Slug}";
            foreach (var registered in run.KubernetesObjects)
            {
                var metadata = (IDictionary<string, object>)registered.Inputs["metadata"];
                // Cluster-scoped objects (the namespace) carry a cluster-wide name; the rest live in the tenant's namespace.
                var identity = metadata.TryGetValue("namespace", out var inNamespace)
                    ? $"{inNamespace}/{registered.Type}/{metadata["name"]}"
                    : $"{registered.Type}/{metadata["name"]}";
                if (inNamespace is not null)
                {
                    inNamespace.ShouldBe(ns, $"{municipality.Slug}: {registered.Type} {registered.Name}");
                }
                claimed.TryAdd(identity, municipality.Slug).ShouldBeTrue($"{identity} is claimed by {claimed.GetValueOrDefault(identity)} and {municipality.Slug}");
            }
        }
        claimed.Keys.Count(k => k.StartsWith("kubernetes:core/v1:Namespace/", StringComparison.Ordinal)).ShouldBe(98);
    }

    [Fact]
    public async Task All_98_municipalities_have_no_route_without_its_allow_list_and_no_network_path_to_another_tenant()
    {
        var routesWithoutPolicy = new List<string>();
        var pathsBetweenTenants = new List<string>();
        var routes = 0;
        foreach (var municipality in MunicipalityRegister.All)
        {
            var run = await StackHarness.RunMunicipality(municipality);
            var platform = StackHarness.PlatformOf(municipality);
            var guarded = run.OfType(SecurityPolicy)
                .Where(p => p.Spec().Child("authorization")["defaultAction"] is "Deny")
                .SelectMany(p => p.Spec().Maps("targetRefs")).Select(t => (string)t["name"]).ToHashSet();
            foreach (var route in run.OfType(HttpRoute))
            {
                routes++;
                if (!guarded.Contains(route.Name))
                {
                    routesWithoutPolicy.Add($"{municipality.Slug}/{route.Name}");
                }
            }
            string[] platformNamespaces = [platform.Gateway.PodNamespace, platform.Dns.Namespace, platform.DatabaseOperator.Namespace];
            foreach (var policy in run.OfType(NetworkPolicy))
            {
                var spec = policy.Spec();
                var peers = spec.Maps("ingress").SelectMany(r => r.Maps("from")).Concat(spec.Maps("egress").SelectMany(r => r.Maps("to")));
                foreach (var peer in peers)
                {
                    if (LeavesTheTenant(peer, platformNamespaces) is { } path)
                    {
                        pathsBetweenTenants.Add($"{municipality.Slug}/{policy.Name}: {path}");
                    }
                }
            }
        }

        routes.ShouldBe(2 * 98);
        routesWithoutPolicy.ShouldBeEmpty();
        pathsBetweenTenants.ShouldBeEmpty();
    }

    /// <summary>
    /// The platform's <c>open-http-listener</c> SecurityPolicy (defaultAction Allow on the Gateway's <c>http</c> listener)
    /// covers every route there that has no policy of its own yet (envoyproxy/gateway v1.9.0 internal/gatewayapi/securitypolicy.go
    /// translateSecurityPolicyForListeners), so while a tenant's allow-list is being created, changed or removed a route on
    /// that listener answers everyone: it must only redirect to HTTPS and reach no backend. A parentRef to the Gateway
    /// without sectionName attaches to every listener, the <c>http</c> one too (Gateway API v1.6.1 ParentReference).
    /// </summary>
    [Fact]
    public async Task All_98_municipalities_route_nothing_but_a_redirect_to_https_on_the_gateways_open_http_listener()
    {
        var open = new List<string>();
        var redirects = 0;
        foreach (var municipality in MunicipalityRegister.All)
        {
            var run = await StackHarness.RunMunicipality(municipality);
            var gateway = StackHarness.PlatformOf(municipality).Gateway;
            foreach (var route in run.OfType(HttpRoute))
            {
                var onHttp = route.Spec().Maps("parentRefs").Any(p =>
                    (p.TryGetValue("kind", out var kind) ? kind : "Gateway") is "Gateway" && (string)p["name"] == gateway.Name
                    && (p.TryGetValue("namespace", out var ns) ? ns : route.Namespace()) is string inNamespace && inNamespace == gateway.Namespace
                    && (!p.TryGetValue("sectionName", out var section) || (string)section == gateway.HttpListener));
                if (!onHttp)
                {
                    continue;
                }
                redirects++;
                foreach (var rule in route.Spec().Maps("rules"))
                {
                    var filters = rule.Maps("filters");
                    if (rule.Maps("backendRefs").Count > 0 || filters.Count != 1 || (string)filters[0]["type"] != "RequestRedirect"
                        || (string)filters[0].Child("requestRedirect")["scheme"] != "https")
                    {
                        open.Add($"{municipality.Slug}/{route.Name}: on the open http listener, a rule that is not only a redirect to https");
                    }
                }
            }
        }

        open.ShouldBeEmpty();
        redirects.ShouldBe(98, "each tenant's http-to-https redirect");
    }

    /// <summary>
    /// pulumi-kubernetes v4.32.0 provider/pkg/metadata/overrides.go: only a pulumi.com/waitFor annotation (a JSON array of
    /// "jsonpath=" expressions) makes Pulumi wait on a custom resource; Envoy Gateway v1.9.0 writes one status.parents
    /// entry per parentRef of a route, and one status.ancestors entry per distinct parent of a policy's target routes,
    /// only once those routes exist (internal/gatewayapi/securitypolicy.go, backendtrafficpolicy.go: a target it cannot
    /// find is skipped). So the routes come first, and the Gateway's own policy refuses them until the allow-list,
    /// created last, is accepted: fail closed at every moment of a first deployment.
    /// </summary>
    [Fact]
    public async Task All_98_municipalities_wait_until_every_route_and_policy_is_accepted_and_the_allow_list_comes_last()
    {
        var unawaited = new List<string>();
        var outOfOrder = new List<string>();
        var awaited = 0;
        foreach (var municipality in MunicipalityRegister.All)
        {
            var run = await StackHarness.RunMunicipality(municipality);
            var parentsOf = run.OfType(HttpRoute).ToDictionary(r => r.Name, r => r.Spec().Maps("parentRefs"));
            foreach (var route in run.OfType(HttpRoute))
            {
                var expected = Enumerable.Range(0, parentsOf[route.Name].Count)
                    .SelectMany(i => new[] { Entry($"parents[{i}]", "Accepted"), Entry($"parents[{i}]", "ResolvedRefs") });
                Check(municipality.Slug, route, expected);
            }
            foreach (var policy in run.OfType(SecurityPolicy).Concat(run.OfType(BackendTrafficPolicy)))
            {
                var targets = policy.Spec().Maps("targetRefs").Select(t => (string)t["name"]).ToList();
                var ancestors = targets.SelectMany(t => parentsOf[t]).Select(p => (p["kind"], p["name"], p.TryGetValue("namespace", out var ns) ? ns : null, p["sectionName"])).Distinct().Count();
                Check(municipality.Slug, policy, Enumerable.Range(0, ancestors).Select(i => Entry($"ancestors[{i}]", "Accepted")));
                var after = await run.OptionsOf(policy.Type, policy.Name).DependencyNames();
                if (!targets.All(after.Contains))
                {
                    outOfOrder.Add($"{municipality.Slug}/{policy.Name}: created before its routes, its status would never appear");
                }
            }
            var allowListAfter = await run.OptionsOf(SecurityPolicy, "admin-site-allow-list").DependencyNames();
            if (!allowListAfter.Contains("admin-site-body-limit"))
            {
                outOfOrder.Add($"{municipality.Slug}: the allow-list could admit clients before the body limit is in force");
            }
            foreach (var route in run.OfType(HttpRoute))
            {
                var before = await run.OptionsOf(HttpRoute, route.Name).DependencyNames();
                if (before.Contains("admin-site-allow-list") || before.Contains("admin-site-body-limit"))
                {
                    outOfOrder.Add($"{municipality.Slug}/{route.Name}: waits for a policy whose status needs the route");
                }
            }
        }

        outOfOrder.ShouldBeEmpty();
        unawaited.ShouldBeEmpty();
        awaited.ShouldBe(98 * (2 + 2), "two routes and two policies a tenant");

        void Check(string slug, RegisteredInputs registered, IEnumerable<string> expected)
        {
            var metadata = (IDictionary<string, object>)registered.Inputs["metadata"];
            var annotations = metadata.TryGetValue("annotations", out var map) ? (IDictionary<string, object>)map : new Dictionary<string, object>();
            var waitFor = annotations.TryGetValue("pulumi.com/waitFor", out var json) ? System.Text.Json.JsonSerializer.Deserialize<string[]>((string)json) : null;
            if (waitFor is null || !waitFor.Order().SequenceEqual(expected.Order()) || !annotations.TryGetValue("pulumi.com/timeoutSeconds", out var timeout) || int.Parse((string)timeout) <= 0)
            {
                unawaited.Add($"{slug}/{registered.Type}/{registered.Name}: {json}");
            }
            else
            {
                awaited++;
            }
        }

        static string Entry(string entry, string type) =>
            $"jsonpath={{.status.{entry}.conditions[?(@.type==\"{type}\" && @.observedGeneration==$.metadata.generation)].status}}=True";
    }

    /// <summary>Why a NetworkPolicy peer could reach another tenant's pods, or null when it cannot.</summary>
    private static string? LeavesTheTenant(IDictionary<string, object> peer, string[] platformNamespaces)
    {
        if (peer.TryGetValue("namespaceSelector", out var selector))
        {
            var labels = RegisteredObjects.Map(selector).TryGetValue("matchLabels", out var match) ? RegisteredObjects.Map(match) : null;
            if (labels?.TryGetValue("kubernetes.io/metadata.name", out var name) != true || !platformNamespaces.Contains((string)name!))
            {
                return "admits a namespace that is not the platform's gateway, DNS or database operator";
            }
        }
        if (peer.TryGetValue("ipBlock", out var block))
        {
            var ipBlock = RegisteredObjects.Map(block);
            var except = ipBlock.Strings("except");
            if ((string)ipBlock["cidr"] == "0.0.0.0/0" && !new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16" }.All(except.Contains))
            {
                return "admits the whole address space, the cluster's pod networks included";
            }
        }
        return null;
    }
}
