using System.Collections.Immutable;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;
using static OS2BorgerPC.Deploy.TenantDecisions.Tests.Support.StackFile;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Traffic;

/// <summary>A tenant's traffic on the platform's Gateway: every route behind the allow-list, or no route at all.</summary>
public sealed class TenantTrafficTests(TempRepository repository) : IClassFixture<TempRepository>
{
    [Fact]
    public void By_default_the_site_is_served_on_the_shared_gateways_https_listener_with_the_platforms_certificate()
    {
        var traffic = Plan(Kubernetes());

        traffic.Listener.ShouldBeNull();
        traffic.Certificate.ShouldBeNull();
        traffic.Site.Parents.ShouldBe([new RouteParent(RouteParentKind.Gateway, "os2borgerpc", "os2borgerpc-gateway", "https")]);
        traffic.Site.Action.ShouldBe(new RouteAction.ToService("admin-site", 80, 300));
    }

    [Fact]
    public void A_certificate_of_its_own_gives_the_site_its_own_https_listener_on_the_shared_gateway()
    {
        var traffic = Plan(Kubernetes().Set("tenant.gateway.certificate", "http01"));

        traffic.Listener.ShouldBe(new ListenerSet("admin-site", new ParentGateway("os2borgerpc", "os2borgerpc-gateway"), "https", "test.borgerpc.dk", 443, "admin-site-tls"));
        var certificate = traffic.Certificate.ShouldNotBeNull();
        (certificate.Name, certificate.SecretName, certificate.ClusterIssuer, certificate.UsesHttp01Solver).ShouldBe(("admin-site", "admin-site-tls", "letsencrypt-http01", true));
        certificate.DnsNames.ShouldBe(["test.borgerpc.dk"]);
        traffic.Site.Parents.ShouldBe([new RouteParent(RouteParentKind.ListenerSet, "admin-site", null, "https")]);
        traffic.Site.Hostname.ShouldBe("test.borgerpc.dk");
        traffic.Site.Action.ShouldBe(new RouteAction.ToService("admin-site", 80, 300));
        traffic.Redirect.Parents.ShouldBe([new RouteParent(RouteParentKind.Gateway, "os2borgerpc", "os2borgerpc-gateway", "http")]);
        traffic.Redirect.Action.ShouldBe(new RouteAction.RedirectToHttps(301));
    }

    [Fact]
    public void Every_route_is_a_target_of_the_allow_list_which_denies_by_default_and_admits_the_client_networks()
    {
        var traffic = Plan(Kubernetes().Set("tenant.clientSourceRanges", "[85.191.0.0/16, 10.70.0.0/16]"));

        traffic.AllowList.TargetRoutes.ShouldBe(traffic.Routes.Select(r => r.Name), ignoreOrder: true);
        traffic.AllowList.ClientCidrs.ShouldBe(["85.191.0.0/16", "10.70.0.0/16"]);
        traffic.AllowList.Public.ShouldBeFalse();
        AllowList.DefaultAction.ShouldBe("Deny");
        AllowList.RuleAction.ShouldBe("Allow");
    }

    [Fact]
    public void A_public_tenant_still_gets_a_policy_that_says_so()
    {
        var traffic = Plan(Kubernetes().Set("tenant.public", "true").Set("tenant.clientSourceRanges", null));

        traffic.AllowList.ClientCidrs.ShouldBe(["0.0.0.0/0", "::/0"]);
        traffic.AllowList.Public.ShouldBeTrue();
        traffic.AllowList.TargetRoutes.Length.ShouldBe(traffic.Routes.Count);
    }

    [Fact]
    public void No_route_reaches_the_jobs_port_and_the_body_limit_covers_the_site()
    {
        var traffic = Plan(Kubernetes().Set("tenant.gateway.bodyLimitMiB", "20"));

        traffic.Routes.Select(r => r.Action).OfType<RouteAction.ToService>()
            .ShouldAllBe(to => to.Port != AdminSitePorts.Jobs && to.Service == TrafficObjects.WebService);
        traffic.BodyLimit.TargetRoutes.ShouldBe([traffic.Site.Name]);
        traffic.BodyLimit.Limit.ShouldBe("20Mi");
    }

    [Theory]
    [InlineData("http01", "letsencrypt-http01", true)]
    [InlineData("staging", "letsencrypt-staging-http01", true)]
    [InlineData("dns01", "letsencrypt-dns01", false)]
    public void The_certificate_comes_from_the_platform_issuer_the_tenant_chose(string choice, string issuer, bool solver)
    {
        var traffic = Plan(Kubernetes().Set("tenant.gateway.certificate", choice), RecordedPlatform.Azure);

        traffic.Certificate.ShouldNotBeNull().ClusterIssuer.ShouldBe(issuer);
        traffic.Certificate.UsesHttp01Solver.ShouldBe(solver);
    }

    [Fact]
    public void A_gateway_implementation_that_cannot_express_the_allow_list_is_refused()
    {
        var tenant = repository.Open().Load(Kubernetes()).ShouldBeValid();
        var platform = RecordedPlatform.Cluster with { Gateway = RecordedPlatform.Cluster.Gateway with { Implementation = "nginx-gateway-fabric" } };

        var (traffic, problems) = TenantTraffic.Plan(tenant, platform, DisplayPath);

        traffic.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        problem.File.ShouldBe(DisplayPath);
        problem.Key.ShouldBe("platform stack output tenantPlatform.gateway.implementation");
        problem.Message.ShouldContain("'nginx-gateway-fabric'");
        problem.Fix.ShouldContain("envoy-gateway");
    }

    [Fact]
    public void A_dns01_certificate_on_a_platform_without_a_dns01_issuer_is_refused()
    {
        var tenant = repository.Open().Load(Kubernetes().Set("tenant.gateway.certificate", "dns01")).ShouldBeValid();

        var (traffic, problems) = TenantTraffic.Plan(tenant, RecordedPlatform.Cluster, DisplayPath);

        traffic.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        (problem.File, problem.Key).ShouldBe((DisplayPath, "os2borgerpc:tenant.gateway.certificate"));
        problem.Fix.ShouldContain("http01");
    }

    [Fact]
    public void A_certificate_of_its_own_on_a_platform_whose_gateway_admits_no_ListenerSet_is_refused()
    {
        var tenant = repository.Open().Load(Kubernetes().Set("tenant.gateway.certificate", "http01")).ShouldBeValid();
        var platform = RecordedPlatform.Cluster with { Gateway = RecordedPlatform.Cluster.Gateway with { AdmitsListenerSets = false } };

        var (traffic, problems) = TenantTraffic.Plan(tenant, platform, DisplayPath);

        traffic.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        (problem.File, problem.Key).ShouldBe((DisplayPath, "os2borgerpc:tenant.gateway.certificate"));
        problem.Message.ShouldContain("admits no ListenerSet");
        problem.Fix.ShouldContain("pulumi up on the platform stack");
    }

    /// <summary>
    /// The tenant creates its routes before their policies (a policy's status needs its route) and so relies on the
    /// platform's Gateway-level SecurityPolicy refusing them meanwhile: a platform without it would leave them open.
    /// </summary>
    [Fact]
    public void A_platform_whose_gateway_does_not_refuse_unprotected_routes_is_refused()
    {
        var tenant = repository.Open().Load(Kubernetes()).ShouldBeValid();
        var platform = RecordedPlatform.Cluster with { Gateway = RecordedPlatform.Cluster.Gateway with { DeniesUnprotectedRoutes = false } };

        var (traffic, problems) = TenantTraffic.Plan(tenant, platform, DisplayPath);

        traffic.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        (problem.File, problem.Key).ShouldBe((DisplayPath, "platform stack output tenantPlatform.gateway.deniesUnprotectedRoutes"));
        problem.Fix.ShouldContain("pulumi up on the platform stack");
    }

    /// <summary>
    /// envoyproxy/gateway v1.9.0 internal/gatewayapi/securitypolicy.go processSecurityPolicyForRoute: one
    /// status.ancestors entry per distinct parentRef of the target routes (Gateway + sectionName, or the ListenerSet),
    /// written only once the route exists; status/policy.go SetConditionForPolicyAncestor merges equal ancestor refs.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("http01")]
    public void Each_policy_is_awaited_until_accepted_for_every_parent_of_its_routes(string? certificate)
    {
        var traffic = Plan(certificate is null ? Kubernetes() : Kubernetes().Set("tenant.gateway.certificate", certificate));

        TrafficAcceptance.Policy(traffic.Targets(traffic.AllowList.TargetRoutes)).Expressions.ShouldBe(
        [
            """jsonpath={.status.ancestors[0].conditions[?(@.type=="Accepted" && @.observedGeneration==$.metadata.generation)].status}=True""",
            """jsonpath={.status.ancestors[1].conditions[?(@.type=="Accepted" && @.observedGeneration==$.metadata.generation)].status}=True""",
        ], "the site's HTTPS parent and the redirect's HTTP listener");
        TrafficAcceptance.Policy(traffic.Targets(traffic.BodyLimit.TargetRoutes)).Expressions.ShouldBe(
            ["""jsonpath={.status.ancestors[0].conditions[?(@.type=="Accepted" && @.observedGeneration==$.metadata.generation)].status}=True"""]);
        TrafficAcceptance.Policy(traffic.Targets(traffic.AllowList.TargetRoutes)).Annotations["pulumi.com/timeoutSeconds"].ShouldBe("300");
    }

    /// <summary>
    /// pulumi-kubernetes v4.32.0 provider/pkg/await/condition/jsonpath.go checks only a top-level status.observedGeneration,
    /// which routes and Envoy Gateway policies lack; their conditions carry it (envoyproxy/gateway v1.9.0
    /// internal/gatewayapi/status/route.go, status/policy.go), so each wait filters on it, or an update passes on the
    /// previous generation's status. provider/pkg/jsonpath/jsonpath.go Parse splits what follows "jsonpath=" on "=" keeping
    /// "==", and takes the path from the first "{...}" (regexp \{\s*(.*?)\s*\}): one "=" before the value, no brace inside.
    /// </summary>
    [Fact]
    public void Every_route_and_policy_wait_is_for_the_current_generation_and_parses_as_the_provider_splits_it()
    {
        var traffic = Plan(Kubernetes());
        var expressions = traffic.Routes.Select(TrafficAcceptance.Route).Append(TrafficAcceptance.Policy(traffic.Routes))
            .Append(TrafficAcceptance.PolicyOfAncestors(1)).SelectMany(wait => wait.Expressions).ToList();

        expressions.ShouldNotBeEmpty();
        foreach (var expression in expressions)
        {
            var parts = expression["jsonpath=".Length..].Replace("==", "\uFFFD", StringComparison.Ordinal).Split('=');
            (parts.Length, parts[^1]).ShouldBe((2, "True"), expression);
            var path = System.Text.RegularExpressions.Regex.Match(parts[0], @"\{\s*(.*?)\s*\}").Groups[1].Value.Replace("\uFFFD", "==", StringComparison.Ordinal);
            path.ShouldEndWith("&& @.observedGeneration==$.metadata.generation)].status", Case.Sensitive, expression);
            path.ShouldStartWith(".status.", Case.Sensitive, expression);
        }
    }

    [Fact]
    public void Two_routes_on_one_listener_are_one_ancestor()
    {
        var traffic = Plan(Kubernetes());
        var twin = traffic.Site with { Name = "twin" };

        TrafficAcceptance.Policy([traffic.Site, twin]).Expressions.Count.ShouldBe(1);
    }

    /// <summary>
    /// gunicorn kills a worker silent for longer than --timeout (default 30 s; OS2borgerPC/os2borgerpc-admin-site v7.0.1
    /// docker/gunicorn-settings.py sets none), and nginx gives up after proxy_read_timeout: neither may be shorter than
    /// the gateway's route timeout, or a long request is cut off while the gateway still waits for it.
    /// </summary>
    [Fact]
    public void The_gateway_the_media_server_and_gunicorn_let_a_request_run_equally_long()
    {
        var tenant = repository.Open().Load(Kubernetes()).ShouldBeValid();
        var route = ((RouteAction.ToService)Plan(Kubernetes()).Site.Action).RequestTimeoutSeconds;

        var gunicorn = System.Text.RegularExpressions.Regex.Match(Gunicorn.CommandArgs(tenant), @"--timeout=(\d+)");
        var nginx = System.Text.RegularExpressions.Regex.Match(Templates.MediaServerConfig.Render(tenant), @"proxy_read_timeout (\d+)s;");

        (int.Parse(gunicorn.Groups[1].Value), int.Parse(nginx.Groups[1].Value)).ShouldBe((route, route));
        Gunicorn.CommandArgs(tenant).ShouldContain($"--workers={tenant.Size.GunicornWorkers}");
    }

    private TenantTraffic Plan(StackFile stack, Platform.PlatformFacts? platform = null)
    {
        var tenant = repository.Open().Load(stack).ShouldBeValid();
        var (traffic, problems) = TenantTraffic.Plan(tenant, platform ?? RecordedPlatform.Cluster, DisplayPath);
        problems.ShouldBeEmpty();
        return traffic.ShouldNotBeNull();
    }
}
