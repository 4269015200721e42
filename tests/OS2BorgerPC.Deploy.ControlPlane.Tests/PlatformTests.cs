using System.Diagnostics;
using OS2BorgerPC.Deploy.ControlPlane.Tests.Support;
using OS2BorgerPC.Deploy.PlatformProgram;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Rendering;
using Xunit.Abstractions;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests;

/// <summary>
/// The platform program's own Kubernetes objects (its namespaces, GatewayClass, EnvoyProxy, Gateway, HTTPRoute,
/// ClusterIssuers, storage classes ...; the Helm charts themselves are not rendered) applied to the control plane:
/// every one accepted, its custom resources by the CRDs its pinned charts install.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class PlatformTests(Support.ControlPlane plane, ITestOutputHelper output)
{
    /// <summary>Every stacks/platform/Pulumi.*.yaml.</summary>
    public static TheoryData<string> PlatformStacks => new(PlatformWorkspace.Open(RepositoryRoot.FullPath).StackNames());

    [ControlPlaneTheory]
    [MemberData(nameof(PlatformStacks))]
    public async Task Every_object_of_the_platform_program_is_accepted(string stack)
    {
        var crdGroups = (await plane.Crds).Accepted.Select(crd => crd[(crd.IndexOf('.') + 1)..]).ToHashSet();
        var clock = Stopwatch.StartNew();
        var (config, problem) = PlatformWorkspace.Open(RepositoryRoot.FullPath).ReadStack(stack);
        var mocks = new PlatformMocks();
        await MockedDeployment.RunAsync<PlatformStack>(EngineConfig.From(config ?? throw new InvalidOperationException(problem!.ToString())),
            mocks, PlatformWorkspace.Namespace);
        var manifests = KubernetesManifest.FromRegistrations(mocks.Registrations.Select(r => (r.Type, (IReadOnlyDictionary<string, object>)r.Inputs)));

        var refusals = new List<Refusal>();
        foreach (var manifest in ApplyOrder.Sort(manifests))
        {
            if (await plane.Api.ApplyAsync(manifest) is { } refusal)
            {
                refusals.Add(refusal);
            }
        }
        // Each platform is a cluster of its own: its cluster-wide objects (storage classes with other provisioners,
        // issuers) go again, so that the next platform stack and the tenants meet the control plane as before.
        foreach (var clusterWide in manifests.Where(m => m.Namespace is null && m.Kind != "Namespace"))
        {
            await plane.Api.DeleteAsync(clusterWide.ApiVersion, clusterWide.Kind, null, clusterWide.Name);
        }

        var custom = manifests.Where(m => crdGroups.Contains(m.Group)).GroupBy(m => m.Kind).Select(g => $"{g.Count()} {g.Key}").ToList();
        output.WriteLine($"platform {stack}: {manifests.Count} objects applied in {clock.Elapsed.TotalSeconds:F1} s, custom resources: {string.Join(", ", custom)}");
        refusals.ShouldBeEmpty(string.Join("\n", refusals));
        custom.ShouldNotBeEmpty("the platform's Gateway, GatewayClass, EnvoyProxy and ClusterIssuers are custom resources");
    }
}
