using k8s.Models;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.TenantDecisions.Model;

/// <summary>
/// A claim the CLI makes for one operation's staging (an import's uploads), in the tenant's namespace and its data
/// storage class, sized from the data it will hold, and removes afterwards: no claim stands idle between operations,
/// as the tenant's former <c>backups</c> claim did. Its volume is set to be deleted with it (the platform's data
/// class retains a released volume, which would leave tenant data without an owner).
/// </summary>
public sealed record StagingClaim(string Name, int SizeGiB, string StorageClass)
{
    private const long GiB = 1L << 30;

    /// <summary>The file system's own overhead (ext4 reserves 5% and keeps a journal) and rounding, over the data.</summary>
    public const double Margin = 1.1;

    /// <summary>Left free beside the data: the import's log and what a step writes on the side.</summary>
    public const long HeadroomBytes = GiB;

    /// <summary>The whole GiB a claim needs to hold <paramref name="bytes"/> with <see cref="Margin"/> and <see cref="HeadroomBytes"/>.</summary>
    public static int SizeGiBFor(long bytes) => (int)Math.Ceiling((bytes * Margin + HeadroomBytes) / GiB);

    /// <summary>The claim (ReadWriteOnce: one pod at a time mounts it), labelled as the operation's (<paramref name="component"/>).</summary>
    public V1PersistentVolumeClaim Manifest(Tenant tenant, string component, string managedBy) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = new V1ObjectMeta
        {
            Name = Name,
            NamespaceProperty = tenant.Names.Namespace,
            Labels = new Dictionary<string, string>(tenant.Names.Labels)
            {
                [TenantObjects.ComponentLabel] = component,
                [TenantObjects.ManagedByLabel] = managedBy,
            },
        },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = StorageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(Quantities.Storage(SizeGiB)) } },
        },
    };
}
