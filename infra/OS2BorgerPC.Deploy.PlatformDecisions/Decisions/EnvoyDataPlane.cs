using System.Collections.Immutable;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>A topology spread constraint of the Envoy pods: at most <see cref="MaxSkew"/> more on one domain of <see cref="TopologyKey"/>.</summary>
public sealed record TopologySpread(string TopologyKey, int MaxSkew, string WhenUnsatisfiable);

/// <summary>
/// The shared Gateway's data plane, which every tenant's traffic passes: enough replicas that a drain (AKS's weekly
/// node-image upgrade) never takes them all, a PodDisruptionBudget that lets nodes drain one replica at a time, the
/// replicas spread over zones and nodes, and resources stated (Envoy Gateway v1.9.0 api/v1alpha1/shared_types.go
/// defaults: requests 100m CPU, 512Mi memory, no limits; stating resources replaces those defaults).
/// </summary>
/// <param name="PodLabels">The labels Envoy Gateway puts on the Gateway's pods, which the spread counts.</param>
public sealed record EnvoyDataPlane(
    int Replicas,
    int MinAvailable,
    ImmutableDictionary<string, string> Requests,
    ImmutableDictionary<string, string> Limits,
    ImmutableArray<TopologySpread> Spread,
    ImmutableDictionary<string, string> PodLabels)
{
    /// <summary>
    /// Two replicas, at least one available. Spread is preferred, not required (ScheduleAnyway): a cluster with one zone
    /// or one node still runs both. Memory is limited (a leak cannot take the node), CPU is not (a limit throttles the proxy
    /// every tenant shares).
    /// </summary>
    public static EnvoyDataPlane For(PlatformSettings platform) => new(
        Replicas: 2,
        MinAvailable: 1,
        Requests: ImmutableDictionary<string, string>.Empty.Add("cpu", "100m").Add("memory", "512Mi"),
        Limits: ImmutableDictionary<string, string>.Empty.Add("memory", "1Gi"),
        Spread: [new("topology.kubernetes.io/zone", 1, "ScheduleAnyway"), new("kubernetes.io/hostname", 1, "ScheduleAnyway")],
        PodLabels: platform.Gateway.PodLabels);
}
