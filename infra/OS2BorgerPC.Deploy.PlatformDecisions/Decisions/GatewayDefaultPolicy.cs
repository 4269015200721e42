using System.Collections.Immutable;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>
/// The shared Gateway's own SecurityPolicies: what a route gets while no route-level policy of its own is in force.
/// <list type="bullet">
/// <item><see cref="DenyByDefault"/> targets the whole Gateway: every HTTPS route, on the Gateway's listener or a
/// tenant's ListenerSet, is refused (403) until the tenant's allow-list is accepted. So a tenant's routes can be
/// created before their policies and the policies awaited (their status needs the route), and still no route is
/// ever open.</item>
/// <item><see cref="OpenHttp"/> targets the HTTP listener: the catch-all redirect, tenants' redirects and cert-manager's
/// HTTP-01 solver routes (which no tenant policy covers) must answer everyone; each only redirects to HTTPS or answers
/// a challenge token.</item>
/// </list>
/// Envoy Gateway v1.9.0 (internal/gatewayapi/securitypolicy.go ProcessSecurityPolicies, translateSecurityPolicyForListeners)
/// applies route policies first, then listener-level, then Gateway-level ones, each only to routes with no security
/// yet: a policy without mergeType replaces the wider one whole. A Gateway-level policy reaches ListenerSet listeners
/// too; a listener-level one (sectionName) only the Gateway's own listener of that name (internal/gatewayapi/helpers.go
/// gatewayPolicyTargetListeners).
/// </summary>
/// <param name="SectionName">The listener the policy targets; null: the whole Gateway.</param>
/// <param name="DefaultAction">The authorization's action for every request (no rules).</param>
public sealed record GatewayDefaultPolicy(string Name, string? SectionName, string DefaultAction)
{
    public const string Deny = "Deny";
    public const string Allow = "Allow";

    public static GatewayDefaultPolicy DenyByDefault { get; } = new("deny-unprotected-routes", null, Deny);

    public static GatewayDefaultPolicy OpenHttp { get; } = new("open-http-listener", SharedGateway.HttpListener, Allow);

    /// <summary>Both, listener-level first (it is also applied first).</summary>
    public static ImmutableArray<GatewayDefaultPolicy> All { get; } = [OpenHttp, DenyByDefault];
}
