using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>The tenant's own key to an S3 backup store: both halves secret, from the stack's secure config only.</summary>
public sealed record S3AccessKey(Output<string> Id, Output<string> Secret);

/// <summary>
/// The Secret restic (the backup CronJob, restores, the restore-point list) and CloudNativePG's Barman Cloud read the
/// S3 store's key from (<see cref="OffSiteBackup.CredentialsSecret"/>, keys <see cref="OffSiteBackup.AccessKeyIdKey"/>
/// and <see cref="OffSiteBackup.SecretAccessKeyKey"/>). The key is the tenant's own, scoped by the store's operator
/// to the tenant's prefix, never a platform-wide one copied into every namespace: a tenant that reads its Secret
/// reaches its own backups and no other's. Guarded like the data: without it no backup is written and none restored.
/// </summary>
public sealed class BackupStoreCredentials : ComponentResource
{
    public BackupStoreCredentials(TenantScope scope, OffSiteBackup offSite, S3AccessKey key, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:BackupStoreCredentials", scope.Tenant.Slug, options)
    {
        var name = offSite.CredentialsSecret
            ?? throw new InvalidOperationException("Only an S3 backup target is reached with a key; an Azure Blob one with workload identity.");
        var secret = new Secret("backup-store-credentials", new SecretArgs
        {
            Metadata = scope.Meta(name, Workloads.Backup),
            Type = "Opaque",
            StringData =
            {
                { OffSiteBackup.AccessKeyIdKey, Output.CreateSecret(key.Id) },
                { OffSiteBackup.SecretAccessKeyKey, Output.CreateSecret(key.Secret) },
            },
        }, DataProtection.Options(this));
        SecretName = secret.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["secretName"] = SecretName });
    }

    public Output<string> SecretName { get; }
}
