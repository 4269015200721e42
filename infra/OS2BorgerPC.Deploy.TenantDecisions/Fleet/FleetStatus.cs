using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>A fact gathered about a tenant: its value, or why it is not known (never a silent blank).</summary>
public sealed record Observed<T>(bool IsKnown, T Value, string? Why)
{
    public static Observed<T> Known(T value) => new(true, value, null);

    public static Observed<T> Unknown(string why) => new(false, default!, why);
}

/// <summary>Pods of the tenant that should be running (finished job pods not counted), and how many of them are ready.</summary>
public sealed record PodReadiness(int Ready, int Total);

/// <summary>The drift workflow's last verdict on a tenant's stack.</summary>
public enum DriftVerdict
{
    /// <summary>The stack's state matches what runs.</summary>
    Clean,

    /// <summary>Something changed behind Pulumi's back.</summary>
    Drifted,

    /// <summary>The check itself did not run to its end.</summary>
    Failed,
}

/// <summary>
/// CloudNativePG's <c>ContinuousArchiving</c> condition of a tenant's database cluster: whether the last WAL archive
/// attempt succeeded, and CloudNativePG's reason and message (the archiver's error) when it did not.
/// </summary>
public sealed record WalArchiving(bool Working, string Cluster, string? Reason, string? Message, DateTimeOffset? Since)
{
    /// <summary>The condition type (cloudnative-pg v1.30.0 api/v1/cluster_types.go, ConditionContinuousArchiving).</summary>
    public const string ConditionType = "ContinuousArchiving";
}

public sealed record DriftResult(DriftVerdict Verdict, DateTimeOffset CheckedAt, string? Detail);

/// <summary>
/// Everything <c>fleet status</c> gathered about one tenant: its stack file's wishes, its stack's outputs and
/// what runs in its namespace. Each gathered fact is known, or says why not.
/// </summary>
public sealed record TenantObservation(
    string Tenant,
    string Url,
    string DesiredVersion,
    Observed<string> DeployedVersion,
    Observed<string> DeployedCommit,
    Observed<DateTimeOffset> LastBackup,
    Observed<DateTimeOffset> CertificateNotAfter,
    Observed<PodReadiness> Pods,
    Observed<DriftResult> Drift)
{
    /// <summary>The tenant's rollout ring, from its stack file.</summary>
    public required RolloutRing Ring { get; init; }

    /// <summary>CloudNativePG's WAL archiving, where the tenant's database is a CloudNativePG cluster (null elsewhere).</summary>
    public Observed<WalArchiving>? Archiving { get; init; }

    /// <summary>The tenant's last restore drill (restore-drill.yml), from the drill results file.</summary>
    public Observed<DrillResult> Drill { get; init; } = Observed<DrillResult>.Unknown("no drill results file");
}

/// <summary>What <c>fleet status</c> checks a tenant for; a row marks each one that needs attention.</summary>
public enum StatusCheck
{
    Version,
    Commit,
    Backup,
    Certificate,
    Pods,
    Drift,
    Archiving,
    Drill,
}

/// <summary>One thing about a tenant an operator has to look at, in words.</summary>
public sealed record Attention(StatusCheck Check, string Message);

/// <summary>One tenant's row: what was gathered and what of it needs attention.</summary>
public sealed record TenantStatus(TenantObservation Observation, IReadOnlyList<Attention> Attention)
{
    public bool NeedsAttention => Attention.Count > 0;

    public bool Flags(StatusCheck check) => Attention.Any(a => a.Check == check);

    /// <summary>The version it runs, or "unknown" where that could not be read.</summary>
    public string RunningVersion => Observation.DeployedVersion.IsKnown ? Observation.DeployedVersion.Value : FleetStatusReport.Unknown;

    /// <summary>Hours since the last successful backup, when known.</summary>
    public double? BackupAgeHours(DateTimeOffset now) =>
        Observation.LastBackup.IsKnown ? Math.Max(0, (now - Observation.LastBackup.Value).TotalHours) : null;
}

/// <summary>The fleet's status at one moment: a row per tenant, and the thresholds it was judged by.</summary>
public sealed record FleetStatusReport(DateTimeOffset GeneratedAt, string? MainCommit, StatusThresholds Thresholds, IReadOnlyList<TenantStatus> Tenants)
{
    public bool NeedsAttention => Tenants.Any(t => t.NeedsAttention);

    /// <summary>How many tenants run each deployed version ("unknown" where it could not be read), newest version first.</summary>
    public IReadOnlyList<(string Version, int Tenants)> VersionSpread() =>
        Tenants.GroupBy(t => t.RunningVersion)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(g => Version.TryParse(g.Key, out var v) ? v : new Version(0, 0))
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

    public const string Unknown = "unknown";
}

/// <summary>
/// When a tenant needs attention: fleet defaults in Pulumi.yaml (<c>statusBackupMaxAgeHours</c>,
/// <c>statusCertificateMinDays</c>), the same for every tenant. <c>fleet status</c> judges by them, and so do the
/// tenants' alert rules where the platform has Prometheus (<see cref="Monitoring.TenantAlerts"/>).
/// </summary>
public sealed record StatusThresholds(int BackupMaxAgeHours, int CertificateMinDays)
{
    /// <summary>A nightly backup plus two hours' slack for a slow run.</summary>
    public const int DefaultBackupMaxAgeHours = 26;

    /// <summary>cert-manager renews 30 days before expiry by default; two weeks left means renewal has failed for two weeks.</summary>
    public const int DefaultCertificateMinDays = 14;

    public static readonly StatusThresholds Default = new(DefaultBackupMaxAgeHours, DefaultCertificateMinDays);

    /// <summary>The thresholds Pulumi.yaml sets, or the problems of invalid ones.</summary>
    public static (StatusThresholds? Thresholds, IReadOnlyList<Problem> Problems) Read(ProjectWorkspace workspace)
    {
        var problems = new List<Problem>();
        var thresholds = From(ConfigNode.FleetDefaults(workspace, problems));
        return problems.Count > 0 ? (null, problems) : (thresholds, problems);
    }

    /// <summary>The thresholds of a config section (the fleet defaults; a stack's own values over them), invalid ones reported to its problems.</summary>
    internal static StatusThresholds From(ConfigNode fleet) => new(
        fleet.Integer(ConfigKeys.FleetDefaults.StatusBackupMaxAgeHours, 1, 24 * 366) ?? DefaultBackupMaxAgeHours,
        fleet.Integer(ConfigKeys.FleetDefaults.StatusCertificateMinDays, 1, 365) ?? DefaultCertificateMinDays);
}

/// <summary>Decides what of a tenant's gathered facts needs an operator's attention.</summary>
public static class FleetStatusAssessment
{
    /// <param name="mainCommit">The commit at the head of main, when known: a tenant deployed from another one is behind.</param>
    public static TenantStatus Assess(TenantObservation o, StatusThresholds thresholds, string? mainCommit, DateTimeOffset now)
    {
        var attention = new List<Attention>();
        void Add(StatusCheck check, string message) => attention.Add(new Attention(check, message));

        if (!o.DeployedVersion.IsKnown)
        {
            Add(StatusCheck.Version, $"deployed version unknown: {o.DeployedVersion.Why}");
        }
        else if (o.DeployedVersion.Value != o.DesiredVersion)
        {
            Add(StatusCheck.Version, $"runs {o.DeployedVersion.Value}, the stack file wants {o.DesiredVersion}: run 'fleet up --tenant {o.Tenant}'");
        }

        // An unknown commit is shown, not flagged: stacks deployed before the program recorded it have none.
        if (o.DeployedCommit.IsKnown && mainCommit is not null && !SameCommit(o.DeployedCommit.Value, mainCommit))
        {
            Add(StatusCheck.Commit, $"deployed from {Short(o.DeployedCommit.Value)}, main is at {Short(mainCommit)}");
        }

        if (!o.LastBackup.IsKnown)
        {
            Add(StatusCheck.Backup, $"no successful backup found: {o.LastBackup.Why}");
        }
        else if (now - o.LastBackup.Value > TimeSpan.FromHours(thresholds.BackupMaxAgeHours))
        {
            Add(StatusCheck.Backup, $"last successful backup {Age(now - o.LastBackup.Value)} ago (more than {thresholds.BackupMaxAgeHours} h)");
        }

        if (!o.CertificateNotAfter.IsKnown)
        {
            Add(StatusCheck.Certificate, $"certificate expiry unknown: {o.CertificateNotAfter.Why}");
        }
        else if (o.CertificateNotAfter.Value - now < TimeSpan.FromDays(thresholds.CertificateMinDays))
        {
            var left = o.CertificateNotAfter.Value - now;
            Add(StatusCheck.Certificate, left <= TimeSpan.Zero
                ? $"certificate expired {Age(-left)} ago"
                : $"certificate expires in {Age(left)} (less than {thresholds.CertificateMinDays} days): is cert-manager renewing it?");
        }

        if (!o.Pods.IsKnown)
        {
            Add(StatusCheck.Pods, $"pods unknown: {o.Pods.Why}");
        }
        else if (o.Pods.Value.Total == 0)
        {
            Add(StatusCheck.Pods, "no pod is running");
        }
        else if (o.Pods.Value.Ready < o.Pods.Value.Total)
        {
            Add(StatusCheck.Pods, $"{o.Pods.Value.Total - o.Pods.Value.Ready} of {o.Pods.Value.Total} pods not ready");
        }

        if (o.Archiving is { IsKnown: false } unknownArchiving)
        {
            Add(StatusCheck.Archiving, $"WAL archiving unknown: {unknownArchiving.Why}");
        }
        else if (o.Archiving is { Value: { Working: false } failing })
        {
            var since = failing.Since is { } at ? $" for {Age(now - at)}" : "";
            Add(StatusCheck.Archiving, $"WAL archiving of {failing.Cluster} failing{since} ({failing.Reason}: {failing.Message}): "
                + "WAL piles up on the database volume and the point-in-time window ends at the last archived WAL; is the object store reachable?");
        }

        // No drift result (the workflow has not run, or not for this tenant) is shown, not flagged.
        if (o.Drift.IsKnown && o.Drift.Value.Verdict != DriftVerdict.Clean)
        {
            Add(StatusCheck.Drift, o.Drift.Value.Verdict == DriftVerdict.Drifted
                ? $"drifted ({o.Drift.Value.Detail ?? "see the drift workflow's log"})"
                : $"drift check failed ({o.Drift.Value.Detail ?? "see the drift workflow's log"})");
        }
        // A failed drill means a restore of the tenant may not work; a drill older than the yearly turn allows means its
        // turn was missed. No drill yet (a tenant new to the fleet, or a drills file younger than a year) is shown, not flagged.
        if (o.Drill.IsKnown && o.Drill.Value.Result == DrillVerdict.Failed)
        {
            Add(StatusCheck.Drill, $"the restore drill of {o.Drill.Value.Date.UtcDateTime:yyyy-MM-dd} failed ({o.Drill.Value.Detail ?? "see the restore-drill workflow's log"})");
        }
        else if (o.Drill.IsKnown && RestoreDrills.IsOverdue(o.Drill.Value.Date, now))
        {
            Add(StatusCheck.Drill, $"last restore drill {o.Drill.Value.Date.UtcDateTime:yyyy-MM-dd}, {Age(now - o.Drill.Value.Date)} ago (more than "
                + $"{RestoreDrills.MaxDrillAgeMonths} months; every tenant is drilled once a year): run restore-drill.yml by hand with tenant {o.Tenant}");
        }
        return new TenantStatus(o, attention);
    }

    public static FleetStatusReport Report(IEnumerable<TenantObservation> observations, StatusThresholds thresholds, string? mainCommit, DateTimeOffset now) =>
        new(now, mainCommit, thresholds, observations.OrderBy(o => o.Tenant, StringComparer.Ordinal)
            .Select(o => Assess(o, thresholds, mainCommit, now)).ToList());

    /// <summary>A duration as people read it: days from two days on, hours below.</summary>
    public static string Age(TimeSpan span) =>
        span >= TimeSpan.FromDays(2) ? $"{(int)span.TotalDays} days"
        : span >= TimeSpan.FromHours(1) ? $"{(int)span.TotalHours} h"
        : $"{(int)span.TotalMinutes} min";

    public static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;

    private static bool SameCommit(string a, string b) =>
        a.StartsWith(b, StringComparison.OrdinalIgnoreCase) || b.StartsWith(a, StringComparison.OrdinalIgnoreCase);
}
