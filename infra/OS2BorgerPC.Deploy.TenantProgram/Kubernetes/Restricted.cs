using OS2BorgerPC.Deploy.TenantDecisions.Model;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes;

/// <summary>Pulumi args for <see cref="PodSecurity"/> and <see cref="ContainerSecurity"/>: security contexts that pass the Pod Security Standard <c>restricted</c>, which every tenant namespace enforces.</summary>
internal static class Restricted
{
    public static PodSecurityContextArgs Pod(int uid, int? fsGroup = null)
    {
        var security = PodSecurity.RunAs(uid, fsGroup);
        return new()
        {
            RunAsNonRoot = security.RunAsNonRoot,
            RunAsUser = security.Uid,
            RunAsGroup = security.Gid,
            FsGroup = security.FsGroup,
            FsGroupChangePolicy = security.FsGroupChangePolicy,
            SeccompProfile = new SeccompProfileArgs { Type = security.SeccompProfile },
        };
    }

    public static SecurityContextArgs Container(ContainerSecurity? security = null)
    {
        security ??= new ContainerSecurity();
        var args = new SecurityContextArgs
        {
            RunAsNonRoot = security.RunAsNonRoot,
            AllowPrivilegeEscalation = security.AllowPrivilegeEscalation,
            Privileged = security.Privileged,
            ReadOnlyRootFilesystem = security.ReadOnlyRootFilesystem,
            Capabilities = new CapabilitiesArgs { Drop = security.DroppedCapabilities.ToArray() },
            SeccompProfile = new SeccompProfileArgs { Type = security.SeccompProfile },
        };
        if (security.Uid is { } uid)
        {
            args.RunAsUser = uid;
            args.RunAsGroup = security.Gid;
        }
        return args;
    }

    public static ResourceRequirementsArgs Resources(ComputeBudget budget) => new()
    {
        Requests = { { "cpu", budget.CpuRequest }, { "memory", budget.MemoryRequest } },
        Limits = { { "cpu", budget.CpuLimit }, { "memory", budget.MemoryLimit } },
    };

    /// <summary>A writable scratch folder in an otherwise read-only container.</summary>
    public static VolumeArgs Scratch(string name) => new()
    {
        Name = name,
        EmptyDir = new EmptyDirVolumeSourceArgs { SizeLimit = ContainerSecurity.ScratchSizeLimit },
    };

    /// <summary>Shared memory in RAM (gunicorn's worker_tmp_dir is /dev/shm).</summary>
    public static VolumeArgs SharedMemory(string name) => new()
    {
        Name = name,
        EmptyDir = new EmptyDirVolumeSourceArgs { Medium = "Memory", SizeLimit = "64Mi" },
    };
}
