namespace OS2BorgerPC.Deploy.TenantDecisions.Model;

/// <summary>
/// A pod's security settings under the Pod Security Standard <c>restricted</c>, which every tenant namespace
/// enforces. One decision that the program (as Pulumi args) and the import (as KubernetesClient models) both
/// translate, so the two cannot drift.
/// </summary>
public sealed record PodSecurity(int Uid, int Gid, int FsGroup)
{
    /// <summary>Runs as <paramref name="uid"/> in its own group; volumes belong to <paramref name="fsGroup"/>, that same group unless given.</summary>
    public static PodSecurity RunAs(int uid, int? fsGroup = null) => new(uid, uid, fsGroup ?? uid);

    public bool RunAsNonRoot => true;

    /// <summary>Only chown a volume when its root does not match already: fast restarts on large /media volumes.</summary>
    public string FsGroupChangePolicy => "OnRootMismatch";

    public string SeccompProfile => "RuntimeDefault";
}

/// <summary>A container's security settings under <c>restricted</c>; <see cref="Uid"/> overrides the pod's user and group.</summary>
public sealed record ContainerSecurity(bool ReadOnlyRootFilesystem = true, int? Uid = null)
{
    /// <summary>The size limit of a writable scratch folder in an otherwise read-only container.</summary>
    public const string ScratchSizeLimit = "256Mi";

    public int? Gid => Uid;

    public bool RunAsNonRoot => true;

    public bool AllowPrivilegeEscalation => false;

    public bool Privileged => false;

    public IReadOnlyList<string> DroppedCapabilities => ["ALL"];

    public string SeccompProfile => "RuntimeDefault";
}
