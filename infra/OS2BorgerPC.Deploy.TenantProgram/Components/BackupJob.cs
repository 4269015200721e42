using OS2BorgerPC.Deploy.TenantProgram.Contracts;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using Pulumi;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Random;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// The nightly backup, off-site: templates/backup-dump.sh (postgres image, init container) dumps the database into
/// the pod's scratch folder after checking it has room; templates/backup.sh (restic image) removes expired backups,
/// then uploads the dump and /media as one restic snapshot to the tenant's place in the platform's backup store.
/// The same CronJob makes the pre-upgrade restore points (<see cref="PreUpgradeBackup"/>).
/// </summary>
public sealed class BackupJob : ComponentResource
{
    public const string Name = OS2BorgerPC.Deploy.TenantDecisions.Naming.TenantObjects.Backup;

    /// <summary>The container that uploads; the pre-upgrade backup sets its BACKUP_KIND and BACKUP_VERSION.</summary>
    public const string UploadContainer = "upload";

    private const string Root = "/backup";

    /// <param name="azureClientId">The tenant's backup identity (azureBlob target); null on s3.</param>
    public BackupJob(TenantScope scope, DatabaseConnection database, TenantVolumes volumes, OffSiteBackup offSite, Output<string>? azureClientId,
        ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:BackupJob", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var child = new CustomResourceOptions { Parent = this };
        var script = new ConfigMap("backup-script", new ConfigMapArgs
        {
            Metadata = scope.Meta("backup-script", Workloads.Backup),
            Data =
            {
                { "backup-dump.sh", TemplateRenderer.Source("backup-dump.sh") },
                { "backup.sh", TemplateRenderer.Source("backup.sh") },
            },
        }, child);

        // restic encrypts the repository with this password. Without it the backups cannot be read: it stays in the
        // stack's state (encrypted, as every secret output) as well as here, so losing the cluster does not lose it.
        var password = new RandomPassword("backup-repository-password", new RandomPasswordArgs { Length = 48, Special = false }, child);
        var repositorySecret = new Secret("backup-repository", new SecretArgs
        {
            Metadata = scope.Meta(OffSiteBackup.RepositorySecret, Workloads.Backup),
            StringData = { { OffSiteBackup.RepositoryPasswordKey, Output.CreateSecret(password.Result) } },
        }, DataProtection.Options(this));
        RepositoryPassword = Output.CreateSecret(password.Result);

        var account = new ServiceAccountArgs
        {
            Metadata = scope.Meta(OffSiteBackup.ServiceAccount, Workloads.Backup),
            // Nothing of the backup talks to the Kubernetes API; the workload identity webhook mounts its own token.
            AutomountServiceAccountToken = false,
        };
        Dictionary<string, string> podLabels = [];
        if (offSite.Credentials == BackupCredentials.WorkloadIdentity)
        {
            account.Metadata = Meta(scope, azureClientId ?? throw new InvalidOperationException("An azureBlob backup target needs the tenant's backup identity."));
            podLabels[AzureBackupIdentity.UseLabel] = "true";
        }
        new ServiceAccount("backup-service-account", account, child);

        var pod = new PodSpecArgs
        {
            // Reads /media as the app's group; writes the dump as the postgres image's user.
            SecurityContext = Restricted.Pod(Images.PostgresUid, fsGroup: AdminSitePorts.AppUid),
            InitContainers = new ContainerArgs
            {
                Name = "dump",
                Image = scope.Images.Postgres.PullPath,
                Command = { "/bin/sh", "/scripts/backup-dump.sh" },
                Env =
                {
                    Env.Value("PGHOST", database.Host),
                    Env.Value("PGPORT", database.Port.ToString()),
                    Env.Value("PGDATABASE", database.Name),
                    Env.Value("PGUSER", database.User),
                    Env.Secret("PGPASSWORD", database.Password),
                    Env.Value("BACKUP_ROOT", Root),
                    Env.Value("SCRATCH_LIMIT_BYTES", ((long)OffSiteBackup.ScratchGiB(tenant.Size) << 30).ToString()),
                    DatabaseCaMount.Environment(),
                },
                Resources = Restricted.Resources(tenant.Size.Job),
                SecurityContext = Restricted.Container(),
                VolumeMounts =
                {
                    new VolumeMountArgs { Name = "script", MountPath = "/scripts", ReadOnly = true },
                    new VolumeMountArgs { Name = "work", MountPath = Root },
                    new VolumeMountArgs { Name = "tmp", MountPath = "/tmp" },
                    DatabaseCaMount.Mount(),
                },
            },
            Containers = new ContainerArgs
            {
                Name = UploadContainer,
                Image = scope.Images.Restic.PullPath,
                Command = { "/bin/sh", "/scripts/backup.sh" },
                Env = UploadEnvironment(tenant, offSite, repositorySecret),
                Resources = Restricted.Resources(tenant.Size.Job),
                SecurityContext = Restricted.Container(),
                VolumeMounts =
                {
                    new VolumeMountArgs { Name = "script", MountPath = "/scripts", ReadOnly = true },
                    new VolumeMountArgs { Name = "work", MountPath = Root },
                    new VolumeMountArgs { Name = "media", MountPath = $"{Root}/media", ReadOnly = true },
                    new VolumeMountArgs { Name = "tmp", MountPath = "/tmp" },
                },
            },
            Volumes =
            {
                new VolumeArgs { Name = "script", ConfigMap = new ConfigMapVolumeSourceArgs { Name = script.Metadata.Apply(m => m.Name) } },
                new VolumeArgs { Name = "work", EmptyDir = new EmptyDirVolumeSourceArgs { SizeLimit = Quantities.Storage(OffSiteBackup.ScratchGiB(tenant.Size)) } },
                volumes.Media("media"),
                Restricted.Scratch("tmp"),
                DatabaseCaMount.Volume(database.Ca),
            },
        };
        // No affinity to the app: /media is ReadWriteMany and the backups go to object storage.
        CronJob = CronJobs.Create(scope, Name, Workloads.Backup, tenant.Backup.Schedule, pod, this, OffSiteBackup.ServiceAccount, podLabels);

        RegisterOutputs(new Dictionary<string, object?> { ["schedule"] = tenant.Backup.Schedule, ["target"] = offSite.Location });
    }

    public CronJob CronJob { get; }

    /// <summary>The restic repository's password (secret): also a stack output, so the backups stay readable without the cluster.</summary>
    public Output<string> RepositoryPassword { get; }

    private static InputList<EnvVarArgs> UploadEnvironment(Tenant tenant, OffSiteBackup offSite, Secret repositorySecret)
    {
        var repositoryPassword = new SecretKey(repositorySecret.Metadata.Apply(m => m.Name), OffSiteBackup.RepositoryPasswordKey);
        var env = new InputList<EnvVarArgs>
        {
            Env.Value("RESTIC_REPOSITORY", offSite.ResticRepository),
            Env.Secret("RESTIC_PASSWORD", repositoryPassword),
            Env.Value("RESTIC_CACHE_DIR", "/tmp/restic-cache"),
            Env.Value("HOME", "/tmp"),
            Env.Value("BACKUP_TARGET", offSite.Location),
            Env.Value("BACKUP_ROOT", Root),
            Env.Value("BACKUP_KIND", "nightly"),
            Env.Value("RETENTION_DAYS", tenant.Backup.RetentionDays.ToString()),
            Env.Value("RESTIC_LOCK_WAIT", OffSiteBackup.LockWait),
        };
        foreach (var (key, value) in offSite.ResticEnvironment)
        {
            env.Add(Env.Value(key, value));
        }
        if (offSite.CredentialsSecret is { } secret)
        {
            env.Add(Env.Secret("AWS_ACCESS_KEY_ID", new SecretKey(Output.Create(secret), OffSiteBackup.AccessKeyIdKey)));
            env.Add(Env.Secret("AWS_SECRET_ACCESS_KEY", new SecretKey(Output.Create(secret), OffSiteBackup.SecretAccessKeyKey)));
        }
        return env;
    }

    private static Pulumi.Kubernetes.Types.Inputs.Meta.V1.ObjectMetaArgs Meta(TenantScope scope, Output<string> clientId)
    {
        var meta = scope.Meta(OffSiteBackup.ServiceAccount, Workloads.Backup);
        meta.Annotations = new InputMap<string> { { AzureBackupIdentity.ClientIdAnnotation, clientId } };
        return meta;
    }
}
