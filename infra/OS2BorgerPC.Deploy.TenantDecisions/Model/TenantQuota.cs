namespace OS2BorgerPC.Deploy.TenantDecisions.Model;

/// <summary>Pods of one kind a quota must admit at once, each at its limits.</summary>
public sealed record QuotaShare(string What, int Pods, ComputeBudget EachPod)
{
    public ComputeBudget Total => Pods * EachPod;
}

/// <summary>
/// One ResourceQuota over the pods of one scope. Kubernetes counts a pod in scope <c>Terminating</c> when its
/// own <c>spec.activeDeadlineSeconds</c> is set (a Job's deadline is not copied into its pods: the kit sets
/// both), in <c>NotTerminating</c> otherwise; each quota sees only its scope's pods, so Jobs can never take the
/// app's or the database's room, nor the reverse.
/// </summary>
public sealed record ScopedQuota(string Name, string Scope, IReadOnlyList<QuotaShare> Admits)
{
    public ComputeBudget Compute => Admits.Aggregate(ComputeBudget.None, (sum, share) => sum + share.Total);

    public int Pods => Admits.Sum(share => share.Pods);
}

/// <summary>
/// A tenant namespace's quotas: <see cref="LongRunning"/> (scope NotTerminating), <see cref="Jobs"/> (scope
/// Terminating), and the storage and object counts, which scoped quotas cannot hold (the API server refuses
/// storage in a scoped quota), in a third, unscoped one.
/// </summary>
public static class TenantQuota
{
    public const string LongRunningName = "tenant-long-running";
    public const string JobsName = "tenant-jobs";
    public const string StorageName = "tenant-storage";

    /// <summary>
    /// The Jobs that can run at the same time in a tenant namespace, one pod each (every Job has backoffLimit 0 or
    /// 1 and a failed pod is terminal, so retries never overlap): each scheduled job (concurrencyPolicy Forbid),
    /// the nightly backup (Forbid), the pre-upgrade backup (<c>kubectl create job --from</c> escapes Forbid, so it
    /// can meet a nightly one), and one import or restore (the CLI refuses either while the other runs; the
    /// import's upload pod is deleted before its Job starts).
    /// </summary>
    public static IReadOnlyList<string> OverlappingJobs { get; } =
    [
        .. ScheduledJob.All.Select(job => job.Name),
        "backup (nightly)",
        "backup (pre-upgrade)",
        "import or restore",
    ];

    public static int MaxOverlappingJobs => OverlappingJobs.Count;

    /// <summary>
    /// The app and, in the kubernetes hosting, the database. The admin site is a Recreate Deployment of one pod,
    /// yet a second one is admitted: a pod deleted by a drain, an eviction or <c>kubectl delete</c> is replaced by
    /// its ReplicaSet at once, while the old one still terminates (and still counts). The database: its CNPG
    /// instances plus one CNPG job pod (initdb, join of a new replica, recovery, major upgrade), which runs at the
    /// instances' resources and without a deadline. A point-in-time restore recovers into a second, one-instance
    /// cluster beside the running one (its recovery job takes the CloudNativePG job's share), while the app runs.
    /// Each of them may carry the Barman Cloud plugin's sidecar (CloudNativePg.ArchiverSidecar).
    /// </summary>
    public static ScopedQuota LongRunning(SizeProfile size, Hosting hosting) => new(LongRunningName, "NotTerminating",
    [
        new("admin site (running + replacement)", 2, size.AdminSitePod),
        .. hosting == Hosting.Kubernetes
            ? new QuotaShare[]
            {
                new("database instances", size.DatabaseInstances, size.Database + Backup.CloudNativePg.ArchiverSidecar),
                new("CloudNativePG job", 1, size.Database + Backup.CloudNativePg.ArchiverSidecar),
                new("point-in-time recovery instance", 1, size.Database + Backup.CloudNativePg.ArchiverSidecar),
            }
            : [],
    ]);

    /// <summary>Every Job that can overlap (<see cref="OverlappingJobs"/>), each at the tier's job budget.</summary>
    public static ScopedQuota Jobs(SizeProfile size) => new(JobsName, "Terminating",
        [.. OverlappingJobs.Select(job => new QuotaShare(job, 1, size.Job))]);

    /// <summary>
    /// Claims the tenant holds: in the kubernetes hosting one data volume per database instance (CNPG makes them)
    /// and one for a point-in-time recovery's instance, /media, the import's staging volume and, for a tenant that
    /// still has it (<see cref="Tenant.RetiredBackupsClaim"/>), the retired backups claim, so that staging still fits
    /// beside it; in the azure hosting /media and staging (Azure Files).
    /// </summary>
    public static (int Claims, int StorageGiB) Storage(SizeProfile size, Hosting hosting, bool retiredBackupsClaim)
    {
        if (hosting != Hosting.Kubernetes)
        {
            return (2, size.MediaStorageGiB + size.BackupStorageGiB);
        }
        var (claims, storageGiB) = (size.DatabaseInstances + 3, (size.DatabaseInstances + 1) * size.DatabaseStorageGiB + size.MediaStorageGiB + size.BackupStorageGiB);
        return retiredBackupsClaim ? (claims + 1, storageGiB + size.BackupStorageGiB) : (claims, storageGiB);
    }

    public static (int Claims, int StorageGiB) Storage(Tenant tenant) => Storage(tenant.Size, tenant.Hosting, tenant.RetiredBackupsClaim);
}
