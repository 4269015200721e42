using System.Net;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>What the smoke check asks of the Gateway: the allow-list's refusal only where its pod is surely outside the allow-list.</summary>
public sealed class SmokeCheckPlanTests
{
    // AKS defaults of the kit's platform: pods 192.168.0.0/16 (overlay), nodes 10.240.0.0/20.
    private static readonly string[] AksSources = ["192.168.0.0/16", "10.240.0.0/20"];

    private static Tenant Tenant(params string[] ranges) =>
        RepositoryRoot.Tenant("faelles-it") with { ClientSourceRanges = [.. ranges.Select(IPNetwork.Parse)] };

    [Fact]
    public void A_check_outside_every_client_network_must_be_refused()
    {
        var plan = SmokeCheckPlan.For(Tenant("10.40.0.0/14", "85.191.0.0/16"), [.. AksSources]);

        plan.Expect.ShouldBe(GatewayAnswer.Refused);
        plan.Reason.ShouldContain("outside clientSourceRanges");
    }

    [Theory]
    [InlineData("192.168.0.0/16")] // the pod range itself
    [InlineData("192.168.7.0/24")] // inside the pod range
    [InlineData("10.0.0.0/8")] // holding the node subnet: a request translated to its node's address is let in
    public void A_check_whose_pods_or_nodes_may_be_let_in_asks_only_for_the_tenants_own_route(string clientRange)
    {
        var plan = SmokeCheckPlan.For(Tenant("85.191.0.0/16", clientRange), [.. AksSources]);

        plan.Expect.ShouldBe(GatewayAnswer.RouteAnswers);
        plan.Reason.ShouldContain($"may be inside clientSourceRanges ({clientRange})");
    }

    /// <summary>
    /// The platform's Gateway refuses a route whose own policy is not in force (GatewayDefaultPolicy), so where every
    /// address the check may come from is let in, the login page's 200 proves the allow-list in force.
    /// </summary>
    [Fact]
    public void A_check_whose_pods_and_nodes_are_all_let_in_must_get_the_login_page()
    {
        var plan = SmokeCheckPlan.For(Tenant("192.168.0.0/16", "10.0.0.0/8", "85.191.0.0/16"), [.. AksSources]);

        plan.Expect.ShouldBe(GatewayAnswer.Admitted);
        plan.Reason.ShouldContain("inside clientSourceRanges");
    }

    [Fact]
    public void A_client_network_holding_only_part_of_the_pod_range_lets_in_only_some_pods()
    {
        var plan = SmokeCheckPlan.For(Tenant("192.168.0.0/24", "10.0.0.0/8"), [.. AksSources]);

        plan.Expect.ShouldBe(GatewayAnswer.RouteAnswers, "a pod outside 192.168.0.0/24 is refused, one inside admitted");
    }

    [Fact]
    public void A_public_admin_site_must_answer_everyone()
    {
        var plan = SmokeCheckPlan.For(Tenant() with { Public = true }, []);

        plan.Expect.ShouldBe(GatewayAnswer.Admitted, "0.0.0.0/0 and ::/0 let in every pod, stated or not");
        plan.Reason.ShouldContain("public: true");
    }

    [Fact]
    public void A_platform_that_states_no_pod_ranges_gets_no_refusal_asked_for()
    {
        var plan = SmokeCheckPlan.For(Tenant("85.191.0.0/16"), []);

        plan.Expect.ShouldBe(GatewayAnswer.RouteAnswers);
        plan.Reason.ShouldContain("states no range");
    }
}
