using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>
/// What the shared Gateway answers for a route no policy of its own protects yet. Envoy Gateway v1.9.0
/// (envoyproxy/gateway, internal/gatewayapi/securitypolicy.go ProcessSecurityPolicies) applies route policies first,
/// then Gateway-listener policies, then Gateway policies, each only to routes still without security
/// (translateSecurityPolicyForListeners: "if already set - there's a specific level policy, so skip"); a Gateway policy
/// without sectionName reaches the listeners of ListenerSets too, a listener policy only the Gateway's own listener
/// (internal/gatewayapi/helpers.go gatewayPolicyTargetListeners); an authorization without rules applies its
/// defaultAction to every request (api/v1alpha1/authorization_types.go).
/// </summary>
public sealed class GatewayDefaultPolicyTests
{
    [Fact]
    public void Every_https_route_of_the_gateway_and_its_listener_sets_is_refused_until_its_own_policy_is_in_force()
    {
        var deny = GatewayDefaultPolicy.DenyByDefault;

        deny.SectionName.ShouldBeNull("only a Gateway-wide policy reaches the tenants' ListenerSet listeners");
        deny.DefaultAction.ShouldBe("Deny");
    }

    [Fact]
    public void The_http_listener_stays_open_for_redirects_and_acme_challenges()
    {
        var open = GatewayDefaultPolicy.OpenHttp;

        open.SectionName.ShouldBe(SharedGateway.HttpListener, "cert-manager's HTTP-01 solver routes have no policy of their own");
        open.DefaultAction.ShouldBe("Allow");
        GatewayDefaultPolicy.All.ShouldBe([GatewayDefaultPolicy.OpenHttp, GatewayDefaultPolicy.DenyByDefault]);
        GatewayDefaultPolicy.All.Select(p => p.SectionName).ShouldNotContain(SharedGateway.HttpsListener,
            "a listener policy on the HTTPS listener would stand before the Gateway's refusal there");
    }
}
