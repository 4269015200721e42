using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>How much recent data a tenant may lose (RPO) and how long a restore of all of it may take (RTO).</summary>
public sealed record RecoveryObjective(TimeSpan PointObjective, TimeSpan TimeObjective);

/// <summary>
/// The kit's recovery objectives per hosting and size tier, and the arithmetic that checks them against measured
/// throughput (RealPrograms RecoveryObjectivesTests measures; docs: DATA-SAFETY).
/// <list type="bullet">
/// <item>RPO, kubernetes: a committed write is in the object store once its WAL segment is archived; PostgreSQL closes
/// a segment at least every <see cref="ArchiveTimeout"/> (set explicitly on the Cluster; also CloudNativePG's default:
/// cloudnative-pg v1.30.0 pkg/postgres/configuration.go, CnpgConfigurationSettings "archive_timeout": "5min"), and the
/// plugin's upload of one 16 MiB segment has <see cref="ArchiveUploadAllowance"/>.</item>
/// <item>RPO, azure: the flexible server archives its WAL itself, not the kit's to tune: "In general, the delay RPO
/// (recovery point objective) can be up to 5 minutes" (<see cref="AzureWalDelay"/>; Microsoft Learn,
/// https://learn.microsoft.com/azure/postgresql/backup-restore/concepts-backup-restore, "Backup frequency"; source
/// MicrosoftDocs/azure-databases-docs articles/postgresql/backup-restore/concepts-backup-restore.md, ms.date 11/28/2024;
/// concepts-business-continuity.md: point-in-time restore "RPO &lt; 5 Minutes" for Burstable and General Purpose/Memory
/// Optimized alike). The 15 minutes of the older flexible-server page (MicrosoftDocs/azure-docs
/// articles/postgresql/flexible-server/concepts-backup-restore.md) is superseded.</item>
/// <item>RTO: a full restore (<c>tenant restore --backup ... --media</c>) of a tenant whose database and /media volumes
/// are full, i.e. the tier's worst case, plus <see cref="RestoreOverhead"/> for stopping and starting the admin site
/// and the restore Job's pods.</item>
/// </list>
/// </summary>
public static class RecoveryObjectives
{
    /// <summary>PostgreSQL's <c>archive_timeout</c> on every kit cluster, as CloudNativePG takes it in <c>postgresql.parameters</c>.</summary>
    public static readonly TimeSpan ArchiveTimeout = TimeSpan.FromMinutes(5);

    public const string ArchiveTimeoutParameter = "archive_timeout";

    /// <summary>The parameter's value as PostgreSQL reads it ("5min").</summary>
    public static string ArchiveTimeoutValue => $"{(int)ArchiveTimeout.TotalMinutes}min";

    /// <summary>What the archiver may take, beyond the timeout, to have a closed segment in the store.</summary>
    public static readonly TimeSpan ArchiveUploadAllowance = TimeSpan.FromMinutes(1);

    /// <summary>Stopping the admin site, scheduling the restore Job's pods and starting the site again.</summary>
    public static readonly TimeSpan RestoreOverhead = TimeSpan.FromMinutes(5);

    /// <summary>How far behind Azure's flexible server archives its WAL, as Microsoft states it (see the class).</summary>
    public static readonly TimeSpan AzureWalDelay = TimeSpan.FromMinutes(5);

    public static RecoveryObjective For(Hosting hosting, SizeTier tier) => new(
        hosting == Hosting.Azure ? AzureWalDelay : ArchiveTimeout + ArchiveUploadAllowance,
        tier switch
        {
            SizeTier.Small => TimeSpan.FromHours(1),
            SizeTier.Medium => TimeSpan.FromHours(2),
            SizeTier.Large => TimeSpan.FromHours(4),
            _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "unknown size tier"),
        });

    /// <summary>
    /// The worst-case restore of a tier at the measured throughput: the whole database volume loaded (bytes of
    /// loaded database per second) and the whole /media volume fetched (bytes per second), one after the other as the
    /// restore Job runs them, plus <see cref="RestoreOverhead"/>.
    /// </summary>
    public static TimeSpan EstimatedRestore(SizeProfile size, double databaseBytesPerSecond, double mediaBytesPerSecond)
    {
        if (databaseBytesPerSecond <= 0 || mediaBytesPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(databaseBytesPerSecond), "a throughput is positive");
        }
        const double GiB = 1024.0 * 1024 * 1024;
        return RestoreOverhead
            + TimeSpan.FromSeconds(size.DatabaseStorageGiB * GiB / databaseBytesPerSecond)
            + TimeSpan.FromSeconds(size.MediaStorageGiB * GiB / mediaBytesPerSecond);
    }

    /// <summary>
    /// The worst-case data loss, given how long a closed segment took to reach the archive (measured): the timeout
    /// plus that copy.
    /// </summary>
    public static TimeSpan EstimatedPointLoss(TimeSpan measuredArchiveCopy) => ArchiveTimeout + measuredArchiveCopy;
}
