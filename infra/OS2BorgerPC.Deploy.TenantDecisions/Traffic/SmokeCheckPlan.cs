using System.Collections.Immutable;
using System.Net;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Traffic;

/// <summary>What the smoke check must get through the Gateway, over HTTPS with the tenant's host name.</summary>
public enum GatewayAnswer
{
    /// <summary>
    /// A 403 ("RBAC: access denied"): the check's pod is outside clientSourceRanges, so the route refuses this pod; the
    /// allow-list's Accepted status was awaited. The Gateway's default deny (<see cref="Platform.GatewayFacts.DeniesUnprotectedRoutes"/>)
    /// answers the same 403, so the refusal alone does not tell the allow-list is in force.
    /// </summary>
    Refused,

    /// <summary>
    /// The login page's 200: the check's pod is inside clientSourceRanges. The platform's Gateway refuses every route
    /// whose own policy is not in force (<see cref="Platform.GatewayFacts.DeniesUnprotectedRoutes"/>), so the 200 proves
    /// the route and its allow-list in force, and a 403 that the allow-list is missing or does not admit the clients.
    /// </summary>
    Admitted,

    /// <summary>
    /// The tenant's own route (the login page, or the allow-list's 403): the check's pod may or may not be inside the
    /// allow-list, so neither can be asked for; the catch-all's redirect (301), no route (404) or a broken backend still fail.
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
        const string either = "so the check can ask neither for the allow-list's refusal nor for its admission; it requires the tenant's own route to answer";
        const string admitted = "so the login page must answer, which the Gateway allows only with the allow-list in force";
        if (tenant.Public)
        {
            return new(GatewayAnswer.Admitted, $"the admin site is public (public: true), {admitted}");
        }
        if (podSourceRanges.IsDefaultOrEmpty)
        {
            return new(GatewayAnswer.RouteAnswers, $"the platform states no range its pods' requests come from, {either}");
        }
        var pods = podSourceRanges.Select(IPNetwork.Parse).ToArray();
        var ranges = string.Join(", ", podSourceRanges);
        if (pods.All(pod => tenant.ClientSourceRanges.Any(range => Holds(range, pod))))
        {
            return new(GatewayAnswer.Admitted, $"the check's pods ({ranges}) are inside clientSourceRanges, {admitted}");
        }
        var inside = tenant.ClientSourceRanges.Where(range => pods.Any(pod => Rules.Overlaps(pod, range))).ToArray();
        return inside.Length > 0
            ? new(GatewayAnswer.RouteAnswers, $"the check's pods ({ranges}) may be inside clientSourceRanges ({string.Join(", ", inside)}), {either}")
            : new(GatewayAnswer.Refused, $"the check's pods ({ranges}) are outside clientSourceRanges, so the allow-list must refuse them");
    }

    /// <summary>Whether every address of <paramref name="inner"/> is in <paramref name="outer"/>.</summary>
    private static bool Holds(IPNetwork outer, IPNetwork inner) => outer.PrefixLength <= inner.PrefixLength && outer.Contains(inner.BaseAddress);
}
