using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>The tenants of one rollout ring, in the fleet's order.</summary>
public sealed record RolloutWave(RolloutRing Ring, IReadOnlyList<string> Tenants);

/// <summary>
/// How a fleet-wide change reaches the tenants: ring by ring, <see cref="RolloutRing.Canary"/> first, then
/// <see cref="RolloutRing.Early"/>, then <see cref="RolloutRing.Broad"/>; a ring with no selected tenant is left out.
/// </summary>
public static class RolloutPlan
{
    public const string RingOption = "--ring";

    public static IReadOnlyList<RolloutWave> Waves(IEnumerable<Tenant> tenants) =>
        [.. tenants.GroupBy(t => t.Ring).OrderBy(g => g.Key).Select(g => new RolloutWave(g.Key, [.. g.Select(t => t.Slug)]))];

    public static string Name(RolloutRing ring) => ring.ToString().ToLowerInvariant();

    /// <summary>A ring named on the command line, or the problem with the name.</summary>
    public static (RolloutRing? Ring, Problem? Problem) Parse(string text) =>
        Enum.GetValues<RolloutRing>().Where(r => Name(r) == text).Select(r => (RolloutRing?)r).FirstOrDefault() is { } ring
            ? (ring, null)
            : (null, new Problem("(command line)", RingOption, $"'{text}' is not a rollout ring.",
                $"Use one of: {string.Join(", ", Enum.GetValues<RolloutRing>().Select(Name))} (a tenant's ring is os2borgerpc:tenant.ring in its stack file)."));
}

/// <summary>
/// How many of a ring's tenants may fail before the rollout stops: <see cref="MaxFailuresPercent"/> percent of them.
/// Crossed once the failures are more than that share (0: the first failure stops it; 100: nothing stops it).
/// </summary>
public sealed record RolloutThreshold(int MaxFailuresPercent)
{
    public const string Option = "--max-failures";

    /// <summary>Used where Pulumi.yaml sets none: any failure stops the rollout (fail closed).</summary>
    public static readonly RolloutThreshold Default = new(0);

    public bool IsCrossed(int failed, int tenants) => failed > 0 && failed * 100L > MaxFailuresPercent * (long)tenants;

    /// <summary>
    /// The threshold: <paramref name="option"/> (<c>--max-failures</c>) when given, else <c>rolloutMaxFailuresPercent</c> in
    /// Pulumi.yaml's fleet defaults, else <see cref="Default"/>; or the problem with the one in use.
    /// </summary>
    public static (RolloutThreshold? Threshold, IReadOnlyList<Problem> Problems) Read(ProjectWorkspace workspace, int? option)
    {
        if (option is { } percent)
        {
            return percent is >= 0 and <= 100
                ? (new RolloutThreshold(percent), [])
                : (null, [new Problem("(command line)", Option, $"is {percent}, outside 0-100.",
                    $"Give the percentage of a ring's tenants that may fail before the rollout stops, from 0 (the first failure stops it) to 100.")]);
        }
        var problems = new List<Problem>();
        var fromFile = ConfigNode.FleetDefaults(workspace, problems).Integer(ConfigKeys.FleetDefaults.RolloutMaxFailuresPercent, 0, 100);
        return problems.Count > 0 ? (null, problems) : (fromFile is { } value ? new RolloutThreshold(value) : Default, problems);
    }
}

/// <summary>One tenant's part in a ring's rollout: whether its operation failed, and why.</summary>
public sealed record RolloutResult(string Tenant, bool Started, bool Failed, string? Why = null);

/// <summary>
/// What a ring's rollout came to. Within the ring, its failures stop further starts once they cross the threshold;
/// the next ring starts only when every tenant of this one succeeded (its <c>up</c>, the smoke check in it, included).
/// </summary>
public sealed record RingVerdict(RolloutRing Ring, RolloutThreshold Threshold, IReadOnlyList<RolloutResult> Results)
{
    public IReadOnlyList<RolloutResult> Failures => [.. Results.Where(r => r.Failed)];

    public int NotStarted => Results.Count(r => !r.Started);

    /// <summary>Whether the ring's failures stopped its further starts.</summary>
    public bool ThresholdCrossed => Threshold.IsCrossed(Failures.Count, Results.Count);

    /// <summary>Whether the next ring may start: every tenant of this one started and succeeded.</summary>
    public bool Succeeded => Results.All(r => r.Started && !r.Failed);

    public string Summary
    {
        get
        {
            var ring = $"ring {RolloutPlan.Name(Ring)}";
            if (Succeeded)
            {
                return $"{ring}: all {Results.Count} tenant(s) succeeded.";
            }
            var failed = $"{ring}: {Failures.Count} of {Results.Count} tenant(s) failed ({string.Join("; ", Failures.Select(f => $"{f.Tenant}: {f.Why ?? "see its log"}"))})";
            return ThresholdCrossed
                ? $"{failed}: more than the {Threshold.MaxFailuresPercent}% allowed, so no further tenant of the ring started ({NotStarted} not started) and no later ring runs."
                : $"{failed}; within the threshold of {Threshold.MaxFailuresPercent}% the ring's other tenants ran{(NotStarted > 0 ? $" ({NotStarted} not started)" : "")}, but no later ring runs until every tenant of this one succeeds.";
        }
    }
}
