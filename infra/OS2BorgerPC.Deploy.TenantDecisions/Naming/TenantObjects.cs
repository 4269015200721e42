namespace OS2BorgerPC.Deploy.TenantDecisions.Naming;

/// <summary>
/// Names of the objects inside every tenant namespace. The program creates them under these names; the
/// CLI addresses them by the same names after <c>pulumi up</c> (e.g. <c>tenant import</c>).
/// </summary>
public static class TenantObjects
{
    public const string NameLabel = "app.kubernetes.io/name";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>Kubernetes sets this label on every namespace to its name: how NetworkPolicies select a namespace.</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>The admin site's Deployment, and its workload name.</summary>
    public const string AdminSite = "admin-site";

    /// <summary>
    /// The nightly backup CronJob, and its workload name. The NetworkPolicies let pods of this workload (and
    /// the admin site) reach the database, so every data job (backup, import) runs under it.
    /// </summary>
    public const string Backup = "backup";

    /// <summary>The admin site's scheduled jobs (CronJobs calling its jobs port), as a workload.</summary>
    public const string ScheduledJob = "scheduled-job";

    /// <summary>The Job that checks the admin site after each rollout, as a workload.</summary>
    public const string SmokeCheck = "smoke-check";

    /// <summary>The in-cluster database's StatefulSet and Service (hosting kubernetes).</summary>
    public const string Postgres = "postgres";

    /// <summary>The tenant's own service account, without an API token.</summary>
    public const string ServiceAccount = "os2borgerpc";

    /// <summary>The admin site's Secret and the key of the database login's password in it.</summary>
    public const string AppSecret = "admin-site";
    public const string DatabasePasswordKey = "db-password";
}
