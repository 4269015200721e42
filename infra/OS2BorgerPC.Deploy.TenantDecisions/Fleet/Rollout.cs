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

/// <summary>What a ring's rollout came to: its failures, whether they crossed the threshold, in words.</summary>
public sealed record RingVerdict(RolloutRing Ring, RolloutThreshold Threshold, IReadOnlyList<RolloutResult> Results)
{
    public IReadOnlyList<RolloutResult> Failures => [.. Results.Where(r => r.Failed)];

    public int NotStarted => Results.Count(r => !r.Started);

    /// <summary>Whether the rollout stops here: no later ring may start.</summary>
    public bool StopsRollout => Threshold.IsCrossed(Failures.Count, Results.Count);

    public string Summary
    {
        get
        {
            var ring = $"ring {RolloutPlan.Name(Ring)}";
            var failed = Failures.Count == 0 ? $"{ring}: all {Results.Count} tenant(s) succeeded"
                : $"{ring}: {Failures.Count} of {Results.Count} tenant(s) failed ({string.Join("; ", Failures.Select(f => $"{f.Tenant}: {f.Why ?? "see its log"}"))})";
            return !StopsRollout ? $"{failed}; within the threshold of {Threshold.MaxFailuresPercent}%."
                : $"{failed}: more than the {Threshold.MaxFailuresPercent}% allowed, so the rollout stopped" +
                  (NotStarted > 0 ? $" ({NotStarted} tenant(s) of the ring not started)" : "") + " and no later ring runs.";
        }
    }
}
