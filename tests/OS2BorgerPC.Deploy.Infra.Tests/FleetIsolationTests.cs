using OS2BorgerPC.Deploy.Infra.Tests.Testing;
using OS2BorgerPC.Deploy.Tenants.Municipalities;

namespace OS2BorgerPC.Deploy.Infra.Tests;

/// <summary>Every municipality's program, as `tenant new` would create it: each stays inside its own names.</summary>
[Collection(PulumiCollection.Name)]
public sealed class FleetIsolationTests
{
    [Fact]
    public async Task All_98_municipalities_build_graphs_that_share_no_name_and_stay_in_their_own_namespace()
    {
        var claimed = new Dictionary<string, string>();
        foreach (var municipality in MunicipalityRegister.All)
        {
            var run = await StackHarness.RunMunicipality(municipality);
            var ns = $"os2borgerpc-{municipality.Slug}";
            foreach (var registered in run.KubernetesObjects)
            {
                var metadata = (IDictionary<string, object>)registered.Inputs["metadata"];
                // Cluster-scoped objects (the namespace) carry a cluster-wide name; the rest live in the tenant's namespace.
                var identity = metadata.TryGetValue("namespace", out var inNamespace)
                    ? $"{inNamespace}/{registered.Type}/{metadata["name"]}"
                    : $"{registered.Type}/{metadata["name"]}";
                if (inNamespace is not null)
                {
                    inNamespace.ShouldBe(ns, $"{municipality.Slug}: {registered.Type} {registered.Name}");
                }
                claimed.TryAdd(identity, municipality.Slug).ShouldBeTrue($"{identity} is claimed by {claimed.GetValueOrDefault(identity)} and {municipality.Slug}");
            }
        }
        claimed.Keys.Count(k => k.StartsWith("kubernetes:core/v1:Namespace/", StringComparison.Ordinal)).ShouldBe(98);
    }
}
