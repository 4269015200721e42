using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Tests.Support;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>The shared data plane survives a node drain: more than one replica, a budget that still lets a node drain, spread, resources.</summary>
public sealed class EnvoyDataPlaneTests
{
    [Fact]
    public void A_drain_never_takes_every_replica_and_is_never_blocked_by_the_budget()
    {
        var plane = EnvoyDataPlane.For(PlatformStackFile.Azure().Load().ShouldBeValid());

        plane.MinAvailable.ShouldBeGreaterThanOrEqualTo(1);
        plane.MinAvailable.ShouldBeLessThan(plane.Replicas, "a PodDisruptionBudget as large as the replicas blocks every drain");
    }

    [Fact]
    public void The_replicas_spread_over_zones_and_nodes_counting_the_gateways_own_pods()
    {
        var platform = PlatformStackFile.Azure().Load().ShouldBeValid();
        var plane = EnvoyDataPlane.For(platform);

        plane.Spread.Select(s => s.TopologyKey).ShouldBe(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
        plane.PodLabels.ShouldBe(platform.Gateway.PodLabels);
    }

    [Fact]
    public void Requests_keep_Envoy_Gateways_defaults_and_memory_is_limited()
    {
        var plane = EnvoyDataPlane.For(PlatformStackFile.Cluster().Load().ShouldBeValid());

        // Envoy Gateway v1.9.0 api/v1alpha1/shared_types.go: DefaultDeploymentCPUResourceRequests 100m, memory 512Mi.
        (plane.Requests["cpu"], plane.Requests["memory"]).ShouldBe(("100m", "512Mi"));
        plane.Limits.ShouldContainKey("memory");
    }
}
