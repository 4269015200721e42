using OS2BorgerPC.Deploy.Infra.Contracts;
using OS2BorgerPC.Deploy.Infra.Kubernetes;
using OS2BorgerPC.Deploy.Tenants.Model;
using Pulumi;

namespace OS2BorgerPC.Deploy.Infra.Components;

/// <summary>
/// Storage of a <c>kubernetes</c> tenant: a claim for /media (ReadWriteMany where the cluster has a shared
/// storage class, else ReadWriteOnce with the backup pod placed next to the admin site) and one for backups.
/// </summary>
public sealed class InClusterStorage : ComponentResource
{
    public InClusterStorage(TenantScope scope, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:InClusterStorage", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var shared = tenant.Cluster.SharedStorageClass;
        var media = Claims.Data(scope, TenantStorage.MediaClaim, tenant.Size.MediaStorageGiB,
            shared is null ? "ReadWriteOnce" : "ReadWriteMany", shared ?? tenant.Cluster.StorageClass, this);
        var backups = Claims.Data(scope, TenantStorage.BackupClaim, tenant.Size.BackupStorageGiB, "ReadWriteOnce", tenant.Cluster.StorageClass, this);

        var mediaName = media.Metadata.Apply(m => m.Name);
        var backupName = backups.Metadata.Apply(m => m.Name);
        Volumes = new TenantVolumes(
            volume => Claims.Volume(volume, mediaName),
            volume => Claims.Volume(volume, backupName),
            [media, backups]);

        RegisterOutputs(new Dictionary<string, object?> { ["mediaClaim"] = mediaName, ["backupClaim"] = backupName });
    }

    public TenantVolumes Volumes { get; }
}
