using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Helm.V4;
using Pulumi.Kubernetes.Types.Inputs.Helm.V4;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>One pinned chart (<see cref="ChartVersions"/>) installed into its own namespace.</summary>
internal static class HelmRelease
{
    public static (Namespace Namespace, Chart Chart) Install(string name, string ns, HelmChart chart, InputMap<object> values,
        Resource parent, params Resource[] dependsOn)
    {
        var space = new Namespace(name, new NamespaceArgs
        {
            Metadata = new ObjectMetaArgs { Name = ns, Labels = { { "app.kubernetes.io/part-of", "os2borgerpc-platform" } } },
        }, new CustomResourceOptions { Parent = parent });
        return (space, InstallInto(name, ns, chart, values, parent, [space, .. dependsOn]));
    }

    /// <summary>One pinned chart into a namespace that exists (made by <paramref name="dependsOn"/>), e.g. a plugin beside its operator.</summary>
    public static Chart InstallInto(string name, string ns, HelmChart chart, InputMap<object> values, Resource parent, params Resource[] dependsOn)
    {
        var args = new ChartArgs
        {
            Chart = chart.Chart,
            Version = chart.Version,
            Namespace = ns,
            Values = values,
        };
        if (!chart.IsOci)
        {
            args.RepositoryOpts = new RepositoryOptsArgs { Repo = chart.Repository };
        }
        return new Chart(name, args, new ComponentResourceOptions { Parent = parent, DependsOn = [.. dependsOn] });
    }
}
