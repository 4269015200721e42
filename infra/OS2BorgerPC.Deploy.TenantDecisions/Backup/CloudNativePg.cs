using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>
/// The CloudNativePG database of a kubernetes tenant, as decisions: the program's CloudNativePgDatabase component
/// translates them into a <c>postgresql.cnpg.io/v1</c> Cluster and ScheduledBackup and a <c>barmancloud.cnpg.io/v1</c>
/// ObjectStore.
///
/// Operator: CloudNativePG <see cref="OperatorVersion"/> (the platform's pinned chart installs it). Backups and WAL
/// archiving: the Barman Cloud plugin (CNPG-I; the platform installs it beside the operator): the in-tree
/// <c>spec.backup.barmanObjectStore</c> is deprecated since 1.26 and removed in 1.31.0 (cloudnative-pg v1.30.0
/// docs/src/release_notes/v1.30.md). The plugin's sidecar runs in every instance pod, at <see cref="ArchiverSidecar"/>,
/// which the tenant's quota holds.
/// </summary>
public sealed record CloudNativePg(
    string Name,
    int Instances,
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
    /// A PodMonitor for the cluster's metrics, only where the platform names its Prometheus pods
    /// (<see cref="Platform.PlatformFacts.Metrics"/>): elsewhere its CRD may be missing and nothing could scrape. The kit
    /// makes it: CNPG's <c>monitoring.enablePodMonitor</c> is deprecated from 1.28 (cloudnative-pg v1.30.0
    /// docs/src/monitoring.md), which tells users to manage the PodMonitor themselves.
    /// </summary>
    public bool PodMonitor { get; init; }

    /// <summary>
    /// Whether CNPG makes the cluster's PodDisruptionBudgets. CNPG always makes a primary PDB with minAvailable 1
    /// (cloudnative-pg v1.30.0, pkg/specs/poddisruptionbudget.go), and with one instance no switchover can satisfy it,
    /// so a single-instance cluster would block every node drain: weekly node-image upgrades and autoscaler scale-down
    /// (docs/src/kubernetes_upgrade.md, "PostgreSQL Clusters used for Development or Testing"). Per tier:
    /// <list type="bullet">
    /// <item>small (one instance): no PDB. A drain evicts the only instance: the database is down while its pod
    /// moves to another node and its volume re-attaches there (minutes); the admin site answers with errors meanwhile.</item>
    /// <item>medium (two) and large (three): PDBs kept. A drain of the primary's node waits for CNPG's switchover to
    /// a replica (seconds of lost connections); large keeps at least one replica during a drain as well.</item>
    /// </list>
    /// </summary>
    public bool PodDisruptionBudgets => Instances > 1;

    /// <summary>The operator the platform's CloudNativePG chart (0.29.0, <c>appVersion</c>) installs.</summary>
    public const string OperatorVersion = "1.30.0";

    /// <summary>The Barman Cloud plugin's name as a Cluster, a ScheduledBackup and an external cluster name it (plugin-barman-cloud v0.13.0 web/docs/usage.md).</summary>
    public const string BarmanPlugin = "barman-cloud.cloudnative-pg.io";

    /// <summary>The tenant's ObjectStore: its off-site folder for every cluster generation (each in its own serverName below it).</summary>
    public const string ObjectStoreName = "offsite";

    /// <summary>
    /// The plugin's sidecar in each instance pod (barman-cloud-wal-archive per WAL segment, barman-cloud-backup for base
    /// backups, both streaming to the store): a fixed budget, counted in the tenant's quota with every database pod.
    /// Upstream states no figure: the plugin gives the sidecar no requests or limits unless the ObjectStore's
    /// <c>instanceSidecarConfiguration.resources</c> sets them (plugin-barman-cloud v0.13.0
    /// internal/cnpgi/operator/lifecycle_resources.go), and its docs show only placeholders ("XXX", "YYY": web/docs/usage.md)
    /// and advise checking the sidecar has enough during backups (web/docs/troubleshooting.md). Reports from users: a
    /// 128Mi limit OOM-kills the sidecar during base backups (cgroup high-water 254 MiB backing up a 38 MB database,
    /// cozystack/cozystack#4220; idle ~44 MiB, backups pass at 512Mi, siutsin/otaru#2723). So the limit stays 512Mi,
    /// twice the highest peak reported; the request covers the idle sidecar. Not measured by the kit yet.
    /// </summary>
    public static readonly ComputeBudget ArchiverSidecar = new(CpuRequestMilli: 50, CpuLimitMilli: 500, MemoryRequestMiB: 128, MemoryLimitMiB: 512);

    /// <summary>Where the kit's PodMonitor finds the instances: CNPG's labels on them and its exporter's port name (cloudnative-pg v1.30.0 pkg/specs/podmonitor.go).</summary>
    public const string ClusterLabel = "cnpg.io/cluster";
    public const string PodRoleLabel = "cnpg.io/podRole";
    public const string InstanceRole = "instance";
    public const string MetricsPort = "metrics";

    /// <summary>PostgreSQL 17 as CNPG's operand image (the same major as <see cref="Images.Postgres"/>, whose pg_dump backs it up).</summary>
    public const string PostgresImage = "ghcr.io/cloudnative-pg/postgresql:17.6";

    /// <summary>
    /// The app's login: a <c>kubernetes.io/basic-auth</c> Secret (keys username and password), as CNPG requires for
    /// <c>bootstrap.initdb.secret</c> and <c>managed.roles[].passwordSecret</c>. Changing the password in it changes
    /// the role's password (CNPG reconciles managed roles), so it is rotatable without touching the database.
    /// </summary>
    public const string LoginSecretName = "database-login";

    /// <summary>The label on a Secret CNPG watches, so that a change (a rotated password) is applied at once.</summary>
    public const string ReloadLabel = "cnpg.io/reload";

    /// <summary>The Pulumi annotation that makes the engine wait for a condition of a custom resource, and the Cluster's readiness as it.</summary>
    public const string WaitForAnnotation = "pulumi.com/waitFor";
    public const string WaitForReady = "condition=Ready";

    /// <summary>The Cluster's name in the tenant namespace.</summary>
    public const string ClusterName = "database";

    /// <summary>The Cluster a point-in-time restore recovers into, beside the running one (<see cref="RecoveryCluster"/>).</summary>
    public const string RecoveryClusterName = $"{ClusterName}-pitr";

    public static CloudNativePg For(Tenant tenant, OffSiteBackup backup, Platform.PlatformFacts platform) => new(
        Name: ClusterName,
        Instances: tenant.Size.DatabaseInstances,
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
        Generation = tenant.Backup.DatabaseGeneration,
        PodMonitor = platform.Metrics is not null,
    };

    /// <summary>The read-write Service CNPG makes: always the primary.</summary>
    public const string ReadWriteService = $"{ClusterName}-rw";

    /// <summary>The generation of this cluster (<see cref="BackupPolicy.DatabaseGeneration"/>).</summary>
    public int Generation { get; init; } = 1;

    /// <summary>The object-store folder this cluster archives its base backups and WAL into.</summary>
    public string ServerName => ServerNameOf(Generation);

    /// <summary>
    /// The object-store folder of one cluster generation. Barman Cloud refuses to archive into a folder that already
    /// holds WAL ("Expected empty archive": barman-cloud-check-wal-archive, run before a new cluster's first archive;
    /// plugin-barman-cloud v0.14.0 internal/cnpgi/common/wal.go and check.go; cloudnative-pg docs/src/recovery.md),
    /// so a cluster re-created from nothing under the same name must archive elsewhere: each generation has its own
    /// folder. The first keeps the cluster's name, CNPG's default server name, which is where every cluster made
    /// before generations existed archives: their WAL continues in it.
    /// </summary>
    public static string ServerNameOf(int generation) => generation switch
    {
        < 1 => throw new ArgumentOutOfRangeException(nameof(generation), generation, "Cluster generations start at 1."),
        1 => ClusterName,
        _ => $"{ClusterName}-g{generation}",
    };

    /// <summary>CNPG's ScheduledBackup takes cron with a leading seconds field.</summary>
    public static string SixFieldSchedule(string fiveField) =>
        fiveField.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5
            ? $"0 {fiveField}"
            : throw new ArgumentException($"'{fiveField}' is not a five-field cron schedule.", nameof(fiveField));
}
