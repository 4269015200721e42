using System.Diagnostics;
using k8s;
using k8s.Models;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests.Support;

/// <summary>
/// The CRD manifests of the pinned releases of the projects whose custom resources the program may create
/// (Gateway API, cert-manager, CloudNativePG, Envoy Gateway), as committed under crds/ (crds/README.md names each
/// source and version). Applied as they are, each file one CRD.
/// </summary>
public static class PinnedCrds
{
    public sealed record Installed(IReadOnlyList<string> Accepted, IReadOnlyList<Refusal> Refused, TimeSpan Duration);

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "crds");

    public static IEnumerable<string> Files => Directory.EnumerateFiles(Folder, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    public static async Task<Installed> InstallAsync(ClusterApi api)
    {
        var clock = Stopwatch.StartNew();
        var accepted = new List<string>();
        var refused = new List<Refusal>();
        foreach (var file in Files)
        {
            var text = await File.ReadAllTextAsync(file);
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(text);
            var source = $"{Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileName(file)}";
            if (await api.ApplyAsync("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, crd.Metadata.Name, text,
                    $"CustomResourceDefinition {crd.Metadata.Name} ({source})") is { } refusal)
            {
                refused.Add(refusal);
                continue;
            }
            await api.WaitEstablishedAsync(crd.Metadata.Name, TimeSpan.FromSeconds(60));
            accepted.Add(crd.Metadata.Name);
        }
        return new Installed(accepted, refused, clock.Elapsed);
    }
}
