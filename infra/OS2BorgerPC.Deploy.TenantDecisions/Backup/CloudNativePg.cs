using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>
/// The CloudNativePG database of a kubernetes tenant, as decisions: the program's CloudNativePgDatabase component
/// translates them into a <c>postgresql.cnpg.io/v1</c> Cluster and ScheduledBackup.
///
/// Operator: CloudNativePG <see cref="OperatorVersion"/> (the platform's pinned chart installs it). Backups: the in-tree
/// <c>spec.backup.barmanObjectStore</c>. It is deprecated since 1.26 in favour of the Barman Cloud plugin (removal
/// announced for 1.31.0) but works in this operator; it needs nothing
/// beside the operator, whereas the plugin adds a deployment, an ObjectStore CRD and a sidecar in every instance pod
/// (which the tenant's quota would have to hold). Moving to the plugin later is a change of this one decision:
/// the same destination, credentials and retention go into an ObjectStore, and <c>spec.plugins</c> names it.
/// </summary>
public sealed record CloudNativePg(
    string Name,
    int Instances,
    string Image,
    int StorageGiB,
    ComputeBudget Resources,
    string Database,
    string Owner,
    string LoginSecret,
    string RetentionPolicy,
    string BaseBackupSchedule,
    OffSiteBackup Backup)
{
    /// <summary>
    /// A PodMonitor for the cluster's metrics (CNPG makes it), only where the platform names its Prometheus pods
    /// (<see cref="Platform.PlatformFacts.Metrics"/>): elsewhere its CRD may be missing and nothing could scrape.
    /// </summary>
    public bool PodMonitor { get; init; }

    /// <summary>The operator the platform's CloudNativePG chart (0.26.0, <c>appVersion</c>) installs.</summary>
    public const string OperatorVersion = "1.27.0";

    /// <summary>PostgreSQL 17 as CNPG's operand image (the same major as <see cref="Images.Postgres"/>, whose pg_dump backs it up).</summary>
    public const string PostgresImage = "ghcr.io/cloudnative-pg/postgresql:17.6";

    /// <summary>
    /// The app's login: a <c>kubernetes.io/basic-auth</c> Secret (keys username and password), as CNPG requires for
    /// <c>bootstrap.initdb.secret</c> and <c>managed.roles[].passwordSecret</c>. Changing the password in it changes
    /// the role's password (CNPG reconciles managed roles), so it is rotatable without touching the database.
    /// </summary>
    public const string LoginSecretName = "database-login";

    /// <summary>The Cluster's name in the tenant namespace.</summary>
    public const string ClusterName = "database";

    /// <summary>The Cluster a point-in-time restore recovers into, beside the running one (<see cref="RecoveryCluster"/>).</summary>
    public const string RecoveryClusterName = $"{ClusterName}-pitr";

    public static CloudNativePg For(Tenant tenant, OffSiteBackup backup, Platform.PlatformFacts platform) => new(
        Name: ClusterName,
        Instances: tenant.Size.DatabaseInstances,
        Image: PostgresImage,
        StorageGiB: tenant.Size.DatabaseStorageGiB,
        Resources: tenant.Size.Database,
        Database: tenant.Names.DatabaseName,
        Owner: tenant.Names.DatabaseUser,
        LoginSecret: LoginSecretName,
        // Base backups and the WAL between them are kept as long as the tenant's logical backups: --at reaches back as far.
        RetentionPolicy: $"{tenant.Backup.RetentionDays}d",
        BaseBackupSchedule: SixFieldSchedule(tenant.Backup.Schedule),
        Backup: backup)
    {
        PodMonitor = platform.Metrics is not null,
    };

    /// <summary>The read-write Service CNPG makes: always the primary.</summary>
    public const string ReadWriteService = $"{ClusterName}-rw";

    /// <summary>
    /// The object-store folder of this cluster's base backups and WAL. A recovered cluster gets a new server name
    /// (CNPG refuses to archive into a folder that already holds another cluster's WAL).
    /// </summary>
    public string ServerName(int generation) => generation == 0 ? Name : $"{Name}-r{generation}";

    /// <summary>CNPG's ScheduledBackup takes cron with a leading seconds field.</summary>
    public static string SixFieldSchedule(string fiveField) =>
        fiveField.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5
            ? $"0 {fiveField}"
            : throw new ArgumentException($"'{fiveField}' is not a five-field cron schedule.", nameof(fiveField));
}
