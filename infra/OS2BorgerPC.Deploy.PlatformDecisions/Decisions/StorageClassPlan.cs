using System.Collections.Immutable;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>A StorageClass the platform creates: always reclaimPolicy Retain and expandable, bound where the pod lands.</summary>
public sealed record StorageClassDecision(
    string Name,
    string Provisioner,
    ImmutableSortedDictionary<string, string> Parameters,
    ImmutableArray<string> MountOptions)
{
    /// <summary>Deleting a claim must never delete a municipality's data: the volume stays until removed by hand.</summary>
    public const string ReclaimPolicy = "Retain";

    public const bool AllowVolumeExpansion = true;

    /// <summary>Zonal disks are created in the zone of the pod that first uses them.</summary>
    public const string VolumeBindingMode = "WaitForFirstConsumer";
}

/// <summary>The platform's two storage classes: data (ReadWriteOnce) and shared (ReadWriteMany, /media).</summary>
public static class StorageClassPlan
{
    public const string DataClass = "os2borgerpc-data";
    public const string SharedClass = "os2borgerpc-shared";

    public static (StorageClassDecision Data, StorageClassDecision Shared) For(PlatformSettings platform) => platform.Flavour switch
    {
        PlatformFlavour.Azure => (
            // Zone-redundant premium disks: a zone outage does not strand a database's volume.
            new StorageClassDecision(DataClass, "disk.csi.azure.com", Parameters(("skuName", "Premium_ZRS"), ("cachingMode", "ReadOnly")), []),
            // Azure Files over SMB, zone-redundant; the CSI driver mounts with the pod's fsGroup, so the
            // non-root admin site owns /media without a chown.
            new StorageClassDecision(SharedClass, "file.csi.azure.com", Parameters(("skuName", "Premium_ZRS")),
                ["dir_mode=0770", "file_mode=0660", "mfsymlinks", "cache=strict", "nosharesock", "actimeo=30"])),
        _ => (
            new StorageClassDecision(DataClass, platform.Cluster!.Data.Provisioner, platform.Cluster.Data.Parameters, []),
            new StorageClassDecision(SharedClass, platform.Cluster.Shared.Provisioner, platform.Cluster.Shared.Parameters, [])),
    };

    private static ImmutableSortedDictionary<string, string> Parameters(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
