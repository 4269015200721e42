using OS2BorgerPC.Deploy.TenantProgram.Contracts;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using Pulumi;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// Storage of a <c>kubernetes</c> tenant: a ReadWriteMany claim for /media in the platform's shared storage class
/// (Retain). The former backups claim (in the data class) is retired: nightly backups go off-site and an import
/// stages on a claim of its own, so nothing uses it. Only a tenant deployed before that still has one, and says so
/// in its file (<see cref="Tenant.RetiredBackupsClaim"/>): its claim is kept unprotected and retained
/// (<see cref="Claims.Retired"/>) until the operator has checked and removed it (RUNBOOK); no other tenant gets one.
/// </summary>
public sealed class InClusterStorage : ComponentResource
{
    public InClusterStorage(TenantScope scope, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:InClusterStorage", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var classes = scope.Platform.StorageClasses;
        var media = Claims.Data(scope, TenantStorage.MediaClaim, tenant.Size.MediaStorageGiB, "ReadWriteMany", classes.Shared, this);
        if (tenant.RetiredBackupsClaim)
        {
            Claims.Retired(scope, TenantStorage.BackupClaim, tenant.Size.BackupStorageGiB, "ReadWriteOnce", classes.Data, this);
        }

        var mediaName = media.Metadata.Apply(m => m.Name);
        Volumes = new TenantVolumes(volume => Claims.Volume(volume, mediaName), [media]);

        RegisterOutputs(new Dictionary<string, object?> { ["mediaClaim"] = mediaName });
    }

    public TenantVolumes Volumes { get; }
}
