using System.Collections.Immutable;
using System.Net;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Traffic;

/// <summary>What the smoke check must get through the Gateway, over HTTPS with the tenant's host name.</summary>
public enum GatewayAnswer
{
    /// <summary>The allow-list's 403: the check's pod is outside clientSourceRanges, so the policy is proven in force.</summary>
    Refused,

    /// <summary>
    /// The tenant's own route (the login page, or the allow-list's 403): the check's pod may be inside the allow-list, so
    /// a refusal cannot be asked for; the catch-all's redirect (301), no route (404) or a broken backend still fail.
    /// </summary>
    RouteAnswers,
}

/// <summary>
/// What the smoke check can prove about the tenant's allow-list, from where the platform's pods' requests to the
/// Gateway come from (<paramref name="PodSourceRanges"/>: the pod range, and the node subnet where traffic is
/// translated to the node's address) and the tenant's clientSourceRanges.
/// </summary>
/// <param name="Reason">Why, printed by the check.</param>
public sealed record SmokeCheckPlan(GatewayAnswer Expect, string Reason)
{
    public static SmokeCheckPlan For(Tenant tenant, ImmutableArray<string> podSourceRanges)
    {
        const string only = "so the check cannot ask for the allow-list's refusal; it requires the tenant's own route to answer";
        if (tenant.Public)
        {
            return new(GatewayAnswer.RouteAnswers, $"the admin site is public (public: true), {only}");
        }
        if (podSourceRanges.IsDefaultOrEmpty)
        {
            return new(GatewayAnswer.RouteAnswers, $"the platform states no range its pods' requests come from, {only}");
        }
        var pods = podSourceRanges.Select(IPNetwork.Parse).ToArray();
        var inside = tenant.ClientSourceRanges.Where(range => pods.Any(pod => Rules.Overlaps(pod, range))).ToArray();
        return inside.Length > 0
            ? new(GatewayAnswer.RouteAnswers, $"the check's pods ({string.Join(", ", podSourceRanges)}) are inside clientSourceRanges ({string.Join(", ", inside)}), {only}")
            : new(GatewayAnswer.Refused, $"the check's pods ({string.Join(", ", podSourceRanges)}) are outside clientSourceRanges, so the allow-list must refuse them");
    }
}
