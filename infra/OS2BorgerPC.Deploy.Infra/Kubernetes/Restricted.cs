using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.Infra.Kubernetes;

/// <summary>Security contexts that pass the Pod Security Standard <c>restricted</c>, which every tenant namespace enforces.</summary>
internal static class Restricted
{
    public static PodSecurityContextArgs Pod(int uid, int? fsGroup = null) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = uid,
        RunAsGroup = uid,
        FsGroup = fsGroup ?? uid,
        // Only chown a volume when its root does not match already: fast restarts on large /media volumes.
        FsGroupChangePolicy = "OnRootMismatch",
        SeccompProfile = new SeccompProfileArgs { Type = "RuntimeDefault" },
    };

    public static SecurityContextArgs Container(bool readOnlyRootFilesystem = true) => new()
    {
        RunAsNonRoot = true,
        AllowPrivilegeEscalation = false,
        Privileged = false,
        ReadOnlyRootFilesystem = readOnlyRootFilesystem,
        Capabilities = new CapabilitiesArgs { Drop = { "ALL" } },
        SeccompProfile = new SeccompProfileArgs { Type = "RuntimeDefault" },
    };

    public static ResourceRequirementsArgs Resources(OS2BorgerPC.Deploy.Tenants.Model.ComputeBudget budget) => new()
    {
        Requests = { { "cpu", budget.CpuRequest }, { "memory", budget.MemoryRequest } },
        Limits = { { "cpu", budget.CpuLimit }, { "memory", budget.MemoryLimit } },
    };

    /// <summary>A writable scratch folder in an otherwise read-only container.</summary>
    public static VolumeArgs Scratch(string name) => new()
    {
        Name = name,
        EmptyDir = new EmptyDirVolumeSourceArgs { SizeLimit = "256Mi" },
    };

    /// <summary>Shared memory in RAM (gunicorn's worker_tmp_dir is /dev/shm).</summary>
    public static VolumeArgs SharedMemory(string name) => new()
    {
        Name = name,
        EmptyDir = new EmptyDirVolumeSourceArgs { Medium = "Memory", SizeLimit = "64Mi" },
    };
}
