using System.Text.RegularExpressions;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Validation;

/// <summary>The shape rules of single platform values. Each returns true when the value is acceptable.</summary>
public static partial class PlatformRules
{
    /// <summary>
    /// The Kubernetes minor versions AKS supports (standard support) as this kit was last checked against
    /// (<c>az aks get-versions --location &lt;region&gt;</c>); move the window when AKS moves.
    /// </summary>
    public static readonly Version OldestSupportedKubernetes = new(1, 34);

    public static readonly Version NewestSupportedKubernetes = new(1, 36);

    public const string DefaultKubernetesVersion = "1.35";

    /// <summary>AKS auto-upgrade channels the kit accepts: patch (recommended) or stable; never rapid, never none.</summary>
    public static readonly IReadOnlyList<string> AutoUpgradeChannels = ["patch", StableChannel];

    public const string StableChannel = "stable";

    /// <summary>1.35 or 1.35.2: the minor, and whether an exact patch is named.</summary>
    public static bool TryParseKubernetesVersion(string text, out Version minor, out bool patch)
    {
        minor = new Version(0, 0);
        var match = KubernetesVersion().Match(text);
        patch = match.Groups[3].Success;
        if (!match.Success)
        {
            return false;
        }
        minor = new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
        return true;
    }

    public static bool IsSupportedKubernetes(Version minor) => minor >= OldestSupportedKubernetes && minor <= NewestSupportedKubernetes;

    /// <summary>An Azure VM size name, e.g. Standard_D4ds_v5.</summary>
    public static bool IsVmSize(string size) => VmSize().IsMatch(size);

    /// <summary>An exact chart version, written as its publisher writes it (with a leading v where <paramref name="pinned"/> has one).</summary>
    public static bool IsChartVersion(string version, string pinned) =>
        ChartVersion().IsMatch(version) && version.StartsWith('v') == pinned.StartsWith('v');

    /// <summary>A StorageClass provisioner: a CSI driver's DNS name, optionally with a path (rancher.io/local-path).</summary>
    public static bool IsProvisioner(string name) => name.Length <= 253 && Provisioner().IsMatch(name);

    /// <summary>owner/name of a GitHub repository.</summary>
    public static bool IsGitHubRepository(string repository) => GitHubRepository().IsMatch(repository);

    /// <summary>A registry host (optionally with port) and path, lowercase, as image references write it: harbor.kommune.dk/proxy.</summary>
    public static bool IsRegistryPrefix(string prefix) => prefix.Length <= 200 && RegistryPrefix().IsMatch(prefix);

    [GeneratedRegex(@"^[a-z0-9]+([.-][a-z0-9]+)*\.[a-z]{2,}(:[0-9]{1,5})?(/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*$")]
    private static partial Regex RegistryPrefix();

    [GeneratedRegex(@"^(1)\.([0-9]{1,3})(\.[0-9]{1,3})?$")]
    private static partial Regex KubernetesVersion();

    [GeneratedRegex(@"^Standard_[A-Z]{1,3}[0-9]{1,3}(-[0-9]{1,3})?[a-z]*(_[A-Za-z0-9]{1,8}){0,3}$")]
    private static partial Regex VmSize();

    [GeneratedRegex(@"^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")]
    private static partial Regex ChartVersion();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")]
    private static partial Regex Provisioner();

    [GeneratedRegex(@"^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex GitHubRepository();
}
