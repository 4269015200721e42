using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Pulumi;
using Pulumi.Kubernetes.Storage.V1;
using Pulumi.Kubernetes.Types.Inputs.Storage.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>The platform's StorageClasses (<see cref="StorageClassPlan"/>): data and shared, both Retain and expandable.</summary>
public sealed class PlatformStorageClasses : ComponentResource
{
    public PlatformStorageClasses(PlatformSettings platform, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:PlatformStorageClasses", platform.Name, options)
    {
        var (data, shared) = StorageClassPlan.For(platform);
        foreach (var decision in new[] { data, shared })
        {
            var args = new StorageClassArgs
            {
                Metadata = new ObjectMetaArgs { Name = decision.Name },
                Provisioner = decision.Provisioner,
                ReclaimPolicy = StorageClassDecision.ReclaimPolicy,
                AllowVolumeExpansion = StorageClassDecision.AllowVolumeExpansion,
                VolumeBindingMode = StorageClassDecision.VolumeBindingMode,
                MountOptions = [.. decision.MountOptions],
            };
            foreach (var (key, value) in decision.Parameters)
            {
                args.Parameters.Add(key, value);
            }
            new StorageClass(decision.Name, args, new CustomResourceOptions { Parent = this });
        }
        RegisterOutputs();
    }
}
