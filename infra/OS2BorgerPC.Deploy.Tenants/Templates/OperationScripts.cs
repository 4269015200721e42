using OS2BorgerPC.Deploy.Tenants.Model;

namespace OS2BorgerPC.Deploy.Tenants.Templates;

/// <summary>
/// The scripts Pulumi.Command runs around a tenant's rollout: a backup before the version changes, a smoke
/// check after. Each depends only on what stays fixed for a tenant, so it re-runs only on its triggers.
/// </summary>
public static class OperationScripts
{
    public const int BackupTimeoutSeconds = 1800;
    public const int SmokeCheckTimeoutSeconds = 600;
    public const int SmokeCheckRetryDelaySeconds = 10;

    /// <summary>Runs the backup CronJob once as a restore point of the running version and waits; first installs have nothing to back up.</summary>
    /// <param name="uploadContainer">The backup pod's container that takes BACKUP_KIND and BACKUP_VERSION.</param>
    public static string PreUpgradeBackup(Tenant tenant, string deployment, string backupCronJob, string uploadContainer) =>
        TemplateRenderer.Render("pre-upgrade-backup.sh.scriban", new
        {
            tenant.Slug,
            tenant.Names.Namespace,
            ContextFlag = tenant.Cluster.Context is { } context ? $"--context {ShellQuote(context)} " : "",
            Deployment = deployment,
            Cronjob = backupCronJob,
            Container = uploadContainer,
            TimeoutSeconds = BackupTimeoutSeconds,
        });

    /// <summary>The login page and the XML-RPC endpoint answer, retried for a while.</summary>
    public static string SmokeCheck(Tenant tenant) => TemplateRenderer.Render("smoke-check.sh.scriban", new
    {
        tenant.Slug,
        LoginUrl = ShellQuote($"https://{tenant.Host}{AdminSitePorts.ReadinessPath}"),
        XmlRpcUrl = ShellQuote(tenant.XmlRpcUrl),
        TimeoutSeconds = SmokeCheckTimeoutSeconds,
        RetryDelaySeconds = SmokeCheckRetryDelaySeconds,
        Retries = SmokeCheckTimeoutSeconds / SmokeCheckRetryDelaySeconds,
    });

    /// <summary>A single-quoted shell word.</summary>
    public static string ShellQuote(string text) => $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
