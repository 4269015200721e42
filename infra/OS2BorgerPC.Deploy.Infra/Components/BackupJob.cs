using OS2BorgerPC.Deploy.Infra.Contracts;
using OS2BorgerPC.Deploy.Infra.Kubernetes;
using OS2BorgerPC.Deploy.Tenants.Model;
using OS2BorgerPC.Deploy.Tenants.Templates;
using Pulumi;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace OS2BorgerPC.Deploy.Infra.Components;

/// <summary>
/// The nightly backup: templates/backup.sh dumps the database and archives /media to the backup volume,
/// then deletes backups older than the tenant's retention.
/// </summary>
public sealed class BackupJob : ComponentResource
{
    public const string Name = OS2BorgerPC.Deploy.Tenants.Naming.TenantObjects.Backup;

    public BackupJob(TenantScope scope, DatabaseConnection database, TenantVolumes volumes, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:BackupJob", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var script = new ConfigMap("backup-script", new ConfigMapArgs
        {
            Metadata = scope.Meta("backup-script", Workloads.Backup),
            Data = { { "backup.sh", TemplateRenderer.Source("backup.sh") } },
        }, new CustomResourceOptions { Parent = this });

        CronJob = CronJobs.Create(scope, Name, Workloads.Backup, tenant.Backup.Schedule, new PodSpecArgs
        {
            // Reads /media as the app's group; writes dumps as the postgres image's user.
            SecurityContext = Restricted.Pod(Images.PostgresUid, fsGroup: AdminSitePorts.AppUid),
            // Next to the app only where /media is ReadWriteOnce, and only as a preference (TenantStorage.PreferAppNode).
            Affinity = TenantStorage.PreferAppNode(tenant) ? Workloads.NearAdminSite() : null!,
            Containers = new ContainerArgs
            {
                Name = "backup",
                Image = Images.Postgres,
                Command = { "/bin/sh", "/scripts/backup.sh" },
                Env =
                {
                    Env.Value("PGHOST", database.Host),
                    Env.Value("PGPORT", database.Port.ToString()),
                    Env.Value("PGDATABASE", database.Name),
                    Env.Value("PGUSER", database.User),
                    Env.Secret("PGPASSWORD", database.Password),
                    Env.Value("RETENTION_DAYS", tenant.Backup.RetentionDays.ToString()),
                    Env.Value("BACKUP_DIR", "/backups"),
                    Env.Value("MEDIA_DIR", "/media"),
                },
                Resources = Restricted.Resources(tenant.Size.Job),
                SecurityContext = Restricted.Container(),
                VolumeMounts =
                {
                    new VolumeMountArgs { Name = "script", MountPath = "/scripts", ReadOnly = true },
                    new VolumeMountArgs { Name = "media", MountPath = "/media", ReadOnly = true },
                    new VolumeMountArgs { Name = "backups", MountPath = "/backups" },
                    new VolumeMountArgs { Name = "tmp", MountPath = "/tmp" },
                },
            },
            Volumes =
            {
                new VolumeArgs { Name = "script", ConfigMap = new ConfigMapVolumeSourceArgs { Name = script.Metadata.Apply(m => m.Name) } },
                volumes.Media("media"),
                volumes.Backups("backups"),
                Restricted.Scratch("tmp"),
            },
        }, this);

        RegisterOutputs(new Dictionary<string, object?> { ["schedule"] = tenant.Backup.Schedule });
    }

    public CronJob CronJob { get; }
}
