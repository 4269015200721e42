using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using Pulumi;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// Makes a restore point (the tenant's backup, named for the running admin-site version) once before the admin
/// site's version changes, and only then; the admin site waits for it, so a failed backup stops the upgrade with
/// the old version still running.
/// </summary>
public sealed class PreUpgradeBackup : ComponentResource
{
    public PreUpgradeBackup(TenantScope scope, BackupJob backup, ComponentResourceOptions? options = null)
        : base("os2borgerpc:operations:PreUpgradeBackup", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        Command = LocalScript.Run("pre-upgrade-backup",
            OperationScripts.PreUpgradeBackup(tenant, Workloads.AdminSite, BackupJob.Name, BackupJob.UploadContainer),
            [tenant.Release.VersionText],
            new CustomResourceOptions { Parent = this, DependsOn = { backup.CronJob } });
        RegisterOutputs(new Dictionary<string, object?> { ["version"] = tenant.Release.VersionText });
    }

    public Pulumi.Command.Local.Command Command { get; }
}
