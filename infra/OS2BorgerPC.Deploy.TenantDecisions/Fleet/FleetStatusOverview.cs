namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>How many tenants have one kind of problem, in the words of the page's summary.</summary>
public sealed record ProblemCount(StatusCheck Check, string Label, int Tenants);

/// <summary>How many tenants fall in one band of a chart (a backup-age range, a running version), and whether the band is a problem.</summary>
public sealed record Band(string Label, int Tenants, bool Attention);

/// <summary>
/// The fleet status as an operator reads it for a large fleet: the counts first (healthy, and tenants per kind
/// of problem), the tenants that need attention (worst first), then the healthy ones, and the spreads worth a
/// chart (backup age, running version). Each problem is said once, by the tenant that has it.
/// </summary>
public sealed record FleetStatusOverview(
    int Total,
    IReadOnlyList<ProblemCount> Problems,
    IReadOnlyList<TenantStatus> NeedAttention,
    IReadOnlyList<TenantStatus> Healthy,
    IReadOnlyList<Band> BackupAges,
    IReadOnlyList<Band> Versions)
{
    public const string NoBackup = "no backup found";

    /// <summary>"98 tenants: 95 healthy, 3 need attention" (or "all healthy").</summary>
    public string Headline =>
        NeedAttention.Count == 0 ? $"{Total} tenant{Plural(Total)}: all healthy"
        : $"{Total} tenant{Plural(Total)}: {Healthy.Count} healthy, {NeedAttention.Count} need{(NeedAttention.Count == 1 ? "s" : "")} attention";

    public static FleetStatusOverview Of(FleetStatusReport report) => new(
        report.Tenants.Count,
        CountProblems(report.Tenants),
        // Worst first: the most kinds of problem, then by name (the report's order).
        [.. report.Tenants.Where(t => t.NeedsAttention).OrderByDescending(t => t.Attention.Select(a => a.Check).Distinct().Count())],
        [.. report.Tenants.Where(t => !t.NeedsAttention)],
        BackupAgeSpread(report),
        VersionSpread(report));

    /// <summary>The words for tenants with a kind of problem: they cover both a bad value and one that could not be read.</summary>
    public static string Label(StatusCheck check) => check switch
    {
        StatusCheck.Version => "version not the stack file's",
        StatusCheck.Commit => "not deployed from main",
        StatusCheck.Backup => "backup stale or missing",
        StatusCheck.Certificate => "certificate expiring or unknown",
        StatusCheck.Pods => "pods not ready",
        StatusCheck.Drift => "drift",
        StatusCheck.Archiving => "WAL archiving failing or unknown",
        StatusCheck.Drill => "restore drill failed or overdue",
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "a status check without words for the summary"),
    };

    /// <summary>Tenants per kind of problem (a tenant counted once per kind), the most common first; kinds nobody has are left out.</summary>
    internal static IReadOnlyList<ProblemCount> CountProblems(IEnumerable<TenantStatus> tenants) =>
        [.. tenants.SelectMany(t => t.Attention.Select(a => a.Check).Distinct())
            .GroupBy(check => check)
            .Select(g => new ProblemCount(g.Key, Label(g.Key), g.Count()))
            .OrderByDescending(p => p.Tenants)
            .ThenBy(p => p.Check)];

    /// <summary>
    /// Tenants per backup age: four equal bands up to the threshold (whole hours, e.g. 0–6, 6–13, 13–19, 19–26 h for
    /// 26 h), then over the threshold, then no backup found; every band shown, empty ones too, as a distribution.
    /// </summary>
    internal static IReadOnlyList<Band> BackupAgeSpread(FleetStatusReport report)
    {
        var threshold = report.Thresholds.BackupMaxAgeHours;
        var edges = Enumerable.Range(0, 5).Select(i => threshold * i / 4).Distinct().ToList();
        var ages = report.Tenants.Select(t => t.BackupAgeHours(report.GeneratedAt)).ToList();
        // A band holds the ages above its lower edge up to its upper one; the first one from zero.
        var within = edges.Zip(edges.Skip(1), (low, high) => new Band($"{low}–{high} h",
            ages.Count(a => a is { } hours && (hours > low || low == 0) && hours <= high), false));
        return [.. within,
            new Band($"over {threshold} h", ages.Count(a => a > threshold), true),
            new Band(NoBackup, ages.Count(a => a is null), true)];
    }

    /// <summary>
    /// Tenants per running version (<see cref="FleetStatusReport.VersionSpread"/>), a version marked when a tenant
    /// running it is flagged for its version.
    /// </summary>
    internal static IReadOnlyList<Band> VersionSpread(FleetStatusReport report) =>
        [.. report.VersionSpread().Select(v => new Band(v.Version, v.Tenants, report.Tenants.Any(t =>
            t.Flags(StatusCheck.Version) && t.RunningVersion == v.Version)))];

    private static string Plural(int count) => count == 1 ? "" : "s";
}
