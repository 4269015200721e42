using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>
/// One kind of backup a tenant has, and when the last one of that kind succeeded. <c>fleet status</c> asks every
/// kind; a tenant's last good backup is the oldest of the kinds' newest ones (a restore needs all of them).
/// </summary>
public interface IBackupKind
{
    /// <summary>The newest successful backup of this kind in <paramref name="ns"/>, why it is not known, or null when the tenant has no backups of this kind.</summary>
    Observed<DateTimeOffset>? Last(ClusterInventory cluster, string ns);
}

/// <summary>The backups a tenant has: the nightly CronJob's Jobs, and CloudNativePG's Backups where the tenant has a CNPG cluster.</summary>
public static class BackupKinds
{
    public static readonly IReadOnlyList<IBackupKind> All = [CronJobBackups.Nightly, new CnpgBackups()];
}

/// <summary>The Jobs of the tenant's backup CronJobs: the newest one that succeeded, by its completionTime.</summary>
public sealed class CronJobBackups(IReadOnlyCollection<string> cronJobs) : IBackupKind
{
    /// <summary>The nightly backup CronJob the program creates.</summary>
    public static CronJobBackups Nightly { get; } = new([TenantObjects.Backup]);

    public Observed<DateTimeOffset>? Last(ClusterInventory cluster, string ns) =>
        ClusterFacts.Pick(cluster.Jobs, jobs => ClusterFacts.LastSucceededJob(jobs[ns], cronJobs) is { } last
            ? Observed<DateTimeOffset>.Known(last)
            : Observed<DateTimeOffset>.Unknown($"no Job of CronJob {string.Join(" or ", cronJobs)} has succeeded (of those the cluster still keeps)"));
}

/// <summary>
/// CloudNativePG's Backup objects (<c>backups.postgresql.cnpg.io</c>): the newest completed one, by status.stoppedAt.
/// Applies only where the namespace has a CloudNativePG Cluster (and so not where CloudNativePG is not installed).
/// </summary>
public sealed class CnpgBackups : IBackupKind
{
    public Observed<DateTimeOffset>? Last(ClusterInventory cluster, string ns)
    {
        if (!cluster.CnpgClusters.IsKnown || !cluster.CnpgClusters.Value[ns].Any())
        {
            return null;
        }
        return ClusterFacts.Pick(cluster.CnpgBackups, backups => ClusterFacts.LastCompletedCnpgBackup(backups[ns]) is { } last
            ? Observed<DateTimeOffset>.Known(last)
            : Observed<DateTimeOffset>.Unknown("no CloudNativePG Backup has completed"));
    }
}
