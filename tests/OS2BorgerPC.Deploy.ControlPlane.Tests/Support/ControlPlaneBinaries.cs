namespace OS2BorgerPC.Deploy.ControlPlane.Tests.Support;

/// <summary>
/// Where the control plane's programs are: kube-apiserver and kube-controller-manager in the folder named by
/// <see cref="FolderVariable"/>, else in <see cref="CacheFolder"/>; etcd there or on PATH. Never in the repository:
/// <see cref="GetScript"/> fetches them (docs/TESTING.md, "Making the control plane available").
/// </summary>
public static class ControlPlaneBinaries
{
    public const string FolderVariable = "OS2BORGERPC_CONTROL_PLANE_DIR";

    /// <summary>The command that installs what is missing, run from the repository's root.</summary>
    public const string GetScript = "bash tests/OS2BorgerPC.Deploy.ControlPlane.Tests/get-control-plane.sh";

    public static string CacheFolder { get; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "os2borgerpc", "control-plane");

    public static string Folder => Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder ? folder : CacheFolder;

    public static string ApiServer => Path.Combine(Folder, "kube-apiserver");

    public static string ControllerManager => Path.Combine(Folder, "kube-controller-manager");

    public static string? Etcd => new[] { Folder }
        .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        .Select(dir => Path.Combine(dir, "etcd"))
        .FirstOrDefault(File.Exists);

    /// <summary>Why the tests cannot run here, or null when every program is present.</summary>
    public static string? Missing
    {
        get
        {
            var missing = new[] { ApiServer, ControllerManager }.Where(path => !File.Exists(path)).ToList();
            if (Etcd is null)
            {
                missing.Add("etcd (in that folder or on PATH)");
            }
            return missing.Count == 0
                ? null
                : $"SKIPPED: no Kubernetes control plane on this machine: missing {string.Join(", ", missing)}. "
                  + $"Run '{GetScript}' (it installs them into the folder ${FolderVariable} names, else {CacheFolder}; docs/TESTING.md, \"Making the control plane available\").";
        }
    }
}

/// <summary>A test that needs the control plane: skipped, with the one reason, where its programs are missing.</summary>
public sealed class ControlPlaneFactAttribute : FactAttribute
{
    public ControlPlaneFactAttribute()
    {
        if (ControlPlaneBinaries.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// A test that runs kubectl against the control plane: skipped, with the one reason, where the control plane's programs
/// or kubectl (on PATH; .ci/install-test-programs installs it) are missing.
/// </summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    /// <summary>kubectl's full path, or null where no folder on PATH holds it.</summary>
    public static string? Kubectl => Cli.Fleet.ExecutableSearch.Find(Cli.Processes.Kubectl.Program, Environment.GetEnvironmentVariable("PATH"));

    public KubectlFactAttribute()
    {
        Skip = ControlPlaneBinaries.Missing
            ?? (Kubectl is null ? "SKIPPED: no kubectl on PATH. Install it with 'sudo bash .ci/install-test-programs'." : null);
    }
}

/// <summary>A theory that needs the control plane (see <see cref="ControlPlaneFactAttribute"/>).</summary>
public sealed class ControlPlaneTheoryAttribute : TheoryAttribute
{
    public ControlPlaneTheoryAttribute()
    {
        if (ControlPlaneBinaries.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}
