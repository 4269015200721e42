namespace OS2BorgerPC.Deploy.Tenants.Fleet;

/// <summary>One cell of a tenant's status row: its text, and whether it needs attention.</summary>
public sealed record StatusCell(string Column, string Text, bool Attention);

/// <summary>A tenant's status as the terminal table and the HTML page show it: the same columns and words in both.</summary>
public static class FleetStatusCells
{
    public static readonly IReadOnlyList<string> Columns =
        ["tenant", "version (wanted)", "version (running)", "commit", "last backup", "certificate", "pods ready", "drift", "url"];

    public static IReadOnlyList<StatusCell> Of(TenantStatus status, DateTimeOffset now)
    {
        var o = status.Observation;
        return
        [
            new(Columns[0], o.Tenant, status.NeedsAttention),
            new(Columns[1], o.DesiredVersion, false),
            new(Columns[2], Text(o.DeployedVersion, v => v), status.Flags(StatusCheck.Version)),
            new(Columns[3], Text(o.DeployedCommit, FleetStatusAssessment.Short), status.Flags(StatusCheck.Commit)),
            new(Columns[4], Text(o.LastBackup, at => $"{FleetStatusAssessment.Age(now - at)} ago"), status.Flags(StatusCheck.Backup)),
            new(Columns[5], Text(o.CertificateNotAfter, at => at <= now ? "expired" : $"{(int)(at - now).TotalDays} days left"), status.Flags(StatusCheck.Certificate)),
            new(Columns[6], Text(o.Pods, p => $"{p.Ready}/{p.Total}"), status.Flags(StatusCheck.Pods)),
            new(Columns[7], Text(o.Drift, d => d.Verdict.ToString().ToLowerInvariant()), status.Flags(StatusCheck.Drift)),
            new(Columns[8], o.Url, false),
        ];
    }

    /// <summary>The value as shown, or "unknown" with the reason: a missing fact is never a blank.</summary>
    private static string Text<T>(Observed<T> observed, Func<T, string> show) =>
        observed.IsKnown ? show(observed.Value) : $"{FleetStatusReport.Unknown} ({observed.Why})";
}
