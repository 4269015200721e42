using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using ChartV4 = Pulumi.Kubernetes.Helm.V4;
using ReleaseV3 = Pulumi.Kubernetes.Helm.V3;
using V3 = Pulumi.Kubernetes.Types.Inputs.Helm.V3;
using V4 = Pulumi.Kubernetes.Types.Inputs.Helm.V4;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>
/// One pinned chart (<see cref="ChartVersions"/>) installed into its own namespace, the way <see cref="HelmChart.Install"/>
/// decides: rendered by Chart v4, or, where its workloads need its hooks, as a Helm release that runs them and waits.
/// </summary>
internal static class HelmRelease
{
    public static (Namespace Namespace, Resource Chart) Install(string name, string ns, HelmChart chart, InputMap<object> values,
        Resource parent, params Resource[] dependsOn)
    {
        var space = new Namespace(name, new NamespaceArgs
        {
            Metadata = new ObjectMetaArgs { Name = ns, Labels = { { "app.kubernetes.io/part-of", "os2borgerpc-platform" } } },
        }, new CustomResourceOptions { Parent = parent });
        return (space, InstallInto(name, ns, chart, values, parent, [space, .. dependsOn]));
    }

    /// <summary>One pinned chart into a namespace that exists (made by <paramref name="dependsOn"/>), e.g. a plugin beside its operator.</summary>
    public static Resource InstallInto(string name, string ns, HelmChart chart, InputMap<object> values, Resource parent, params Resource[] dependsOn) =>
        chart.Install == ChartInstall.HelmRelease
            ? Released(name, ns, chart, values, new CustomResourceOptions { Parent = parent, DependsOn = dependsOn })
            : Rendered(name, ns, chart, values, new ComponentResourceOptions { Parent = parent, DependsOn = dependsOn });

    private static ReleaseV3.Release Released(string name, string ns, HelmChart chart, InputMap<object> values, CustomResourceOptions options)
    {
        var args = new V3.ReleaseArgs
        {
            // The release name the rendered chart would get (the resource's name), not an auto-name with a suffix.
            Name = name,
            Chart = chart.Chart,
            Version = chart.Version,
            Namespace = ns,
            Values = values,
            // skipAwait unset: Helm waits for the workloads and the hooks' Jobs (helm_release.go v4.32.0: client.Wait =
            // !SkipAwait), so what depends on the release finds the controller and its webhook serving.
            Timeout = HelmChart.ReleaseTimeoutSeconds,
        };
        if (!chart.IsOci)
        {
            args.RepositoryOpts = new V3.RepositoryOptsArgs { Repo = chart.Repository };
        }
        return new ReleaseV3.Release(name, args, options);
    }

    private static ChartV4.Chart Rendered(string name, string ns, HelmChart chart, InputMap<object> values, ComponentResourceOptions options)
    {
        var args = new V4.ChartArgs { Chart = chart.Chart, Version = chart.Version, Namespace = ns, Values = values };
        if (!chart.IsOci)
        {
            args.RepositoryOpts = new V4.RepositoryOptsArgs { Repo = chart.Repository };
        }
        return new ChartV4.Chart(name, args, options);
    }
}
