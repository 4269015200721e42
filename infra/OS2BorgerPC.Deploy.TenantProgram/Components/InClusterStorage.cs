using OS2BorgerPC.Deploy.TenantProgram.Contracts;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using Pulumi;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// Storage of a <c>kubernetes</c> tenant: a ReadWriteMany claim for /media in the platform's shared storage class
/// (Retain). The former backups claim (in the data class) is retired: nightly backups go off-site and an import
/// stages on a claim of its own, so nothing uses it; it is unprotected and retained here, on its way out of the
/// program (<see cref="Claims.Retired"/>; the RUNBOOK says how to check it is empty and remove it).
/// </summary>
public sealed class InClusterStorage : ComponentResource
{
    public InClusterStorage(TenantScope scope, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:InClusterStorage", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var classes = scope.Platform.StorageClasses;
        var media = Claims.Data(scope, TenantStorage.MediaClaim, tenant.Size.MediaStorageGiB, "ReadWriteMany", classes.Shared, this);
        var backups = Claims.Retired(scope, TenantStorage.BackupClaim, tenant.Size.BackupStorageGiB, "ReadWriteOnce", classes.Data, this);

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
