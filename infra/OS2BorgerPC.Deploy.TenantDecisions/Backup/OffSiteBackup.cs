using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>How a pod authenticates to the off-site store.</summary>
public enum BackupCredentials
{
    /// <summary>Azure workload identity: the pod's ServiceAccount is federated with the tenant's user-assigned identity; no key anywhere.</summary>
    WorkloadIdentity,

    /// <summary>S3 access keys from <see cref="BackupTarget.CredentialsSecretName"/> in the tenant namespace.</summary>
    S3Keys,
}

/// <summary>
/// Where one tenant's backups go in the platform's off-site store, for restic (the nightly and pre-upgrade
/// logical dumps and /media) and for CloudNativePG's Barman Cloud (base backups and WAL). Azure: a container of
/// the tenant's own in the platform's backup account, so the tenant's identity can be granted that container
/// only. S3: a prefix of the tenant's own in the platform's bucket.
/// </summary>
/// <param name="Location">The tenant's container (Azure) or bucket prefix (S3), for messages and role scopes.</param>
/// <param name="ResticRepository">RESTIC_REPOSITORY.</param>
/// <param name="ResticEnvironment">Plain (non-secret) variables restic needs besides the repository.</param>
/// <param name="BarmanDestination">The Barman Cloud ObjectStore's configuration.destinationPath.</param>
/// <param name="BarmanEndpoint">The Barman Cloud ObjectStore's configuration.endpointURL (S3 only).</param>
public sealed record OffSiteBackup(
    BackupTargetKind Kind,
    BackupCredentials Credentials,
    string Location,
    string ResticRepository,
    IReadOnlyDictionary<string, string> ResticEnvironment,
    string BarmanDestination,
    string? BarmanEndpoint,
    string? CredentialsSecret)
{
    /// <summary>The keys CloudNativePG and the kit read from an S3 credentials Secret.</summary>
    public const string AccessKeyIdKey = "ACCESS_KEY_ID";
    public const string SecretAccessKeyKey = "ACCESS_SECRET_KEY";

    /// <summary>
    /// How long templates/backup.sh waits for a lock another run holds (restic --retry-lock, since restic 0.16.0: its
    /// release notes, "Try locking a repository multiple times using the --retry-lock option"; the image is
    /// <see cref="Model.Images.Restic"/>, Debian bookworm's restic 0.14.0 has no such option): a prune's exclusive lock.
    /// Well inside the backup Job's deadline, so a lock held longer fails the night loudly rather than silently.
    /// </summary>
    public const string LockWait = "30m";

    /// <summary>The Secret (tenant namespace) holding the restic repository's password, and its key.</summary>
    public const string RepositorySecret = "backup-repository";
    public const string RepositoryPasswordKey = "password";

    /// <summary>The ServiceAccount the backup and restore pods run as (federated with the tenant's identity on azure).</summary>
    public const string ServiceAccount = "os2borgerpc-backup";

    /// <summary>
    /// The ServiceAccount a drill's restore Jobs run as in the drill tenant (backup.drillFrom, Azure Blob): federated with
    /// the drill-reader identity only, which may read the source's container and nothing else (RestoreJob.ServiceAccountOf).
    /// </summary>
    public const string DrillServiceAccount = "os2borgerpc-drill-reader";

    /// <summary>The user-assigned identity a drill tenant reads <paramref name="source"/>'s backups as, in the drill tenant's own group.</summary>
    public static string DrillReaderIdentityName(Tenant drill, string source) => $"id-{drill.Names.Namespace}-drill-{source}";

    /// <summary>Azure container name of a tenant: 3-63 lowercase letters, digits, single hyphens (a slug is at most 30).</summary>
    public static string ContainerName(Tenant tenant) => ContainerName(tenant.Slug);

    public static string ContainerName(string slug) => $"tenant-{slug}";

    /// <summary>A tenant's prefix in the platform's S3 bucket.</summary>
    public static string S3Prefix(string slug) => $"tenants/{slug}";

    /// <summary>A container's id below the backup account's, as Azure role assignments name their scope.</summary>
    public static string ContainerId(string accountId, string slug) => $"{accountId}/blobServices/default/containers/{ContainerName(slug)}";

    public static OffSiteBackup For(Tenant tenant, BackupTarget target) => target.Kind switch
    {
        BackupTargetKind.AzureBlob => Azure(tenant, target),
        BackupTargetKind.S3 => S3(tenant, target),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target.Kind, "unknown backup target kind"),
    };

    private static OffSiteBackup Azure(Tenant tenant, BackupTarget target)
    {
        var account = target.AzureStorageAccountName
            ?? throw new InvalidOperationException("An azureBlob backup target without azureStorageAccountName: the platform facts are incomplete.");
        var container = ContainerName(tenant);
        return new(BackupTargetKind.AzureBlob, BackupCredentials.WorkloadIdentity, container,
            ResticRepository: $"azure:{container}:/restic",
            // No key and no SAS: restic's azure backend then takes DefaultAzureCredential, i.e. the federated token
            // the workload identity webhook mounts into the pod.
            ResticEnvironment: new Dictionary<string, string> { ["AZURE_ACCOUNT_NAME"] = account },
            BarmanDestination: $"{target.Endpoint.TrimEnd('/')}/{container}/cnpg",
            BarmanEndpoint: null,
            CredentialsSecret: null);
    }

    private static OffSiteBackup S3(Tenant tenant, BackupTarget target)
    {
        var secret = target.CredentialsSecretName
            ?? throw new InvalidOperationException("An s3 backup target without credentialsSecretName: the platform facts are incomplete.");
        var bucket = target.Bucket
            ?? throw new InvalidOperationException("An s3 backup target without bucket: the platform facts are incomplete.");
        var prefix = S3Prefix(tenant.Slug);
        var environment = new Dictionary<string, string>();
        if (target.Region is { } region)
        {
            environment["AWS_DEFAULT_REGION"] = region;
        }
        return new(BackupTargetKind.S3, BackupCredentials.S3Keys, $"{bucket}/{prefix}",
            ResticRepository: $"s3:{target.Endpoint.TrimEnd('/')}/{bucket}/{prefix}/restic",
            ResticEnvironment: environment,
            BarmanDestination: $"s3://{bucket}/{prefix}/cnpg",
            BarmanEndpoint: target.Endpoint,
            CredentialsSecret: secret);
    }

    /// <summary>The scratch folder the dump is written to before upload: the tier's database volume, so any database that fits its volume fits here.</summary>
    public static int ScratchGiB(SizeProfile size) => size.DatabaseStorageGiB;
}
