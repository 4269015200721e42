namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>One cell of a tenant's status row: its text ("unknown" with <see cref="Why"/> for a fact not read), and whether it needs attention.</summary>
public sealed record StatusCell(string Column, string Text, bool Attention, string? Why = null);

/// <summary>A tenant's status as the terminal table and the HTML page show it: the same columns and words in both.</summary>
public static class FleetStatusCells
{
    public const string TenantColumn = "tenant", LastBackupColumn = "last backup", UrlColumn = "url";

    /// <summary>The last-drill cell of a tenant not drilled (or without a drill results file).</summary>
    public const string NoDrill = "none";

    public static readonly IReadOnlyList<string> Columns =
        [TenantColumn, "version (wanted)", "version (running)", "commit", LastBackupColumn, "certificate", "pods ready", "drift", "last drill", UrlColumn, "ring"];

    public static IReadOnlyList<StatusCell> Of(TenantStatus status, DateTimeOffset now)
    {
        var o = status.Observation;
        return
        [
            new(Columns[0], o.Tenant, status.NeedsAttention),
            new(Columns[1], o.DesiredVersion, false),
            Cell(2, o.DeployedVersion, v => v, status.Flags(StatusCheck.Version)),
            Cell(3, o.DeployedCommit, FleetStatusAssessment.Short, status.Flags(StatusCheck.Commit)),
            Cell(4, o.LastBackup, at => $"{FleetStatusAssessment.Age(now - at)} ago", status.Flags(StatusCheck.Backup) || status.Flags(StatusCheck.Archiving)),
            Cell(5, o.CertificateNotAfter, at => at <= now ? "expired" : $"{(int)(at - now).TotalDays} days left", status.Flags(StatusCheck.Certificate)),
            Cell(6, o.Pods, p => $"{p.Ready}/{p.Total}", status.Flags(StatusCheck.Pods)),
            Cell(7, o.Drift, d => d.Verdict.ToString().ToLowerInvariant(), status.Flags(StatusCheck.Drift)),
            // A tenant not drilled yet (new to the fleet, or the drills younger than a year): "none", not an unknown with a reason on every row.
            o.Drill.IsKnown
                ? new(Columns[8], $"{o.Drill.Value.Result.ToString().ToLowerInvariant()} {o.Drill.Value.Date.UtcDateTime:yyyy-MM-dd}, {FleetStatusAssessment.Age(TimeSpan.FromSeconds(o.Drill.Value.DurationSeconds))}", status.Flags(StatusCheck.Drill))
                : new(Columns[8], NoDrill, false),
            new(Columns[9], o.Url, false),
            new(Columns[10], RolloutPlan.Name(o.Ring), false),
        ];
    }

    /// <summary>The value as shown, or "unknown" with the reason: a missing fact is never a blank.</summary>
    private static StatusCell Cell<T>(int column, Observed<T> observed, Func<T, string> show, bool attention) =>
        observed.IsKnown ? new(Columns[column], show(observed.Value), attention) : new(Columns[column], FleetStatusReport.Unknown, attention, observed.Why);
}
