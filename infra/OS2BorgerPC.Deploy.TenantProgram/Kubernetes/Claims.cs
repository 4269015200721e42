using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes;

/// <summary>Persistent volume claims that hold a municipality's data.</summary>
internal static class Claims
{
    /// <summary>
    /// A claim that <c>pulumi destroy</c> cannot delete (protected) and that stays in the cluster even once
    /// unprotected and removed from the stack (retained): losing data takes a deliberate step by hand.
    /// </summary>
    /// <param name="storageClass">One of the platform's classes (reclaimPolicy Retain), or the tenant file's own.</param>
    public static PersistentVolumeClaim Data(TenantScope scope, string name, int sizeGiB, string accessMode, string storageClass, Resource parent) =>
        Claim(scope, name, sizeGiB, accessMode, storageClass, DataProtection.Options(parent));

    /// <summary>
    /// A data claim on its way out of the program: no longer protected, still retained. Pulumi refuses to delete a
    /// resource whose state says protected, and deletes nothing in the cluster for one whose state says retained, so
    /// while the tenant file keeps it the program writes "unprotected, retained" into the tenant's state; once the
    /// operator removes the key, Pulumi forgets the claim while the claim and any data stay for the operator to remove by hand.
    /// </summary>
    public static PersistentVolumeClaim Retired(TenantScope scope, string name, int sizeGiB, string accessMode, string storageClass, Resource parent) =>
        Claim(scope, name, sizeGiB, accessMode, storageClass, new CustomResourceOptions { Parent = parent, Protect = false, RetainOnDelete = true });

    public static VolumeArgs Volume(string volumeName, Output<string> claimName, bool readOnly = false) => new()
    {
        Name = volumeName,
        PersistentVolumeClaim = new PersistentVolumeClaimVolumeSourceArgs { ClaimName = claimName, ReadOnly = readOnly },
    };

    private static PersistentVolumeClaim Claim(TenantScope scope, string name, int sizeGiB, string accessMode, string storageClass, CustomResourceOptions options)
    {
        var spec = new PersistentVolumeClaimSpecArgs
        {
            AccessModes = { accessMode },
            Resources = new VolumeResourceRequirementsArgs { Requests = { { "storage", $"{sizeGiB}Gi" } } },
            StorageClassName = storageClass,
        };
        return new PersistentVolumeClaim(name, new PersistentVolumeClaimArgs { Metadata = scope.Meta(name), Spec = spec }, options);
    }
}
