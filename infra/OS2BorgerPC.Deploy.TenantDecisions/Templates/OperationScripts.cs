using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Templates;

/// <summary>
/// The scripts run around a tenant's rollout: a backup before the version changes (Pulumi.Command), a smoke
/// check after (a Job in the tenant's namespace). Each depends only on what stays fixed for a tenant.
/// </summary>
public static class OperationScripts
{
    public const int BackupTimeoutSeconds = 1800;
    public const int SmokeCheckRetryDelaySeconds = 10;

    /// <summary>The Gateway's HTTPS listener's port, which the smoke check connects to.</summary>
    public const int GatewayHttpsPort = 443;

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

    /// <summary>
    /// The smoke-check Job's script: the login page and XML-RPC through the tenant's Service, and the tenant's route
    /// on the Gateway at <paramref name="gatewayAddress"/> (the Gateway's address, IP or host name), retried for
    /// <see cref="StartupBudget.SmokeCheckSeconds"/>; <paramref name="plan"/> says what the Gateway must answer.
    /// </summary>
    public static string SmokeCheck(Tenant tenant, string gatewayAddress, Traffic.SmokeCheckPlan plan) => TemplateRenderer.Render("smoke-check.sh.scriban", new
    {
        Expect = plan.Expect switch
        {
            Traffic.GatewayAnswer.Refused => "refused",
            Traffic.GatewayAnswer.Admitted => "admitted",
            _ => "route",
        },
        Reason = ShellQuote(plan.Reason),
        tenant.Slug,
        tenant.Names.Namespace,
        Host = ShellQuote(tenant.Host),
        ServiceUrl = ShellQuote($"http://{Traffic.TrafficObjects.WebService}:{Traffic.TrafficObjects.WebServicePort}"),
        // curl's --connect-to takes an IPv6 address in brackets.
        GatewayAddress = ShellQuote(gatewayAddress.Contains(':') ? $"[{gatewayAddress}]" : gatewayAddress),
        GatewayPort = GatewayHttpsPort,
        LoginPath = AdminSitePorts.ReadinessPath,
        AdminSitePorts.XmlRpcPath,
        TimeoutSeconds = StartupBudget.SmokeCheckSeconds,
        RetryDelaySeconds = SmokeCheckRetryDelaySeconds,
    });

    /// <summary>A single-quoted shell word.</summary>
    public static string ShellQuote(string text) => $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
