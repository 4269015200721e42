using System.Net;
using System.Net.Sockets;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Validation;

/// <summary>
/// The address plan's rules: subnets inside the VNet and apart from each other; the service and pod ranges
/// outside the VNet and apart from each other (AKS refuses overlaps, and an overlap silently blackholes traffic
/// where it does not); the DNS service address inside the service range.
/// </summary>
public static class NetworkRules
{
    /// <summary>Azure's smallest subnet for a delegated PostgreSQL flexible server subnet.</summary>
    public const int MaxPostgresPrefix = 28;

    /// <summary>Overlay nodes take their addresses from the cluster subnet: a /24 holds about 250 nodes.</summary>
    public const int MaxClusterPrefix = 24;

    /// <summary>The problems of a plan, each as (key below network, message, fix).</summary>
    public static IEnumerable<(string Key, string Message, string Fix)> Problems(NetworkPlan plan)
    {
        var vnet = plan.VirtualNetwork;
        foreach (var (key, subnet) in new[] { ("clusterSubnet", plan.ClusterSubnet), ("postgresSubnet", plan.PostgresSubnet) })
        {
            if (!Contains(vnet, subnet))
            {
                yield return (key, $"{subnet} is not inside the virtual network {vnet}.", $"Choose a range inside {vnet}, or widen virtualNetwork (before the first deployment: it cannot change later).");
            }
        }
        if (Rules.Overlaps(plan.ClusterSubnet, plan.PostgresSubnet))
        {
            yield return ("postgresSubnet", $"{plan.PostgresSubnet} overlaps the cluster subnet {plan.ClusterSubnet}.", "Give the delegated PostgreSQL subnet its own range in the virtual network.");
        }
        if (plan.ClusterSubnet.PrefixLength > MaxClusterPrefix)
        {
            yield return ("clusterSubnet", $"{plan.ClusterSubnet} is smaller than a /{MaxClusterPrefix}: too few node addresses for upgrades (surge nodes) and growth.", $"Use a /{MaxClusterPrefix} or larger.");
        }
        if (plan.PostgresSubnet.PrefixLength > MaxPostgresPrefix)
        {
            yield return ("postgresSubnet", $"{plan.PostgresSubnet} is smaller than a /{MaxPostgresPrefix}, Azure's minimum for a delegated PostgreSQL subnet.", $"Use a /{MaxPostgresPrefix} or larger (a /24 holds every tenant's server with high availability).");
        }
        foreach (var (key, range, what) in new[] { ("serviceCidr", plan.ServiceCidr, "service"), ("podCidr", plan.PodCidr, "pod") })
        {
            if (Rules.Overlaps(range, vnet))
            {
                yield return (key, $"The {what} range {range} overlaps the virtual network {vnet}.", $"Choose a {what} range outside the virtual network and every network it is peered with, e.g. {(what == "service" ? "10.0.0.0/16" : "192.168.0.0/16")}.");
            }
        }
        if (Rules.Overlaps(plan.ServiceCidr, plan.PodCidr))
        {
            yield return ("podCidr", $"{plan.PodCidr} overlaps the service range {plan.ServiceCidr}.", "Give pods and services separate ranges.");
        }
        if (!plan.ServiceCidr.Contains(plan.DnsServiceIp))
        {
            yield return ("dnsServiceIp", $"{plan.DnsServiceIp} is not inside the service range {plan.ServiceCidr}.", $"Use an address inside {plan.ServiceCidr}, conventionally .10 of it.");
        }
        else if (plan.DnsServiceIp.Equals(plan.ServiceCidr.BaseAddress) || plan.DnsServiceIp.Equals(Nth(plan.ServiceCidr, 1)))
        {
            yield return ("dnsServiceIp", $"{plan.DnsServiceIp} is the service range's network address or the kubernetes service's address.", $"Use another address inside {plan.ServiceCidr}, conventionally {Nth(plan.ServiceCidr, 10)}.");
        }
    }

    /// <summary>
    /// Whether the plan holds the nodes the pools can reach: one cluster-subnet address per node (Azure keeps five per
    /// subnet) and one /24 of the pod range per node (overlay). A node that gets neither never joins, and has no way out
    /// through the NAT gateway.
    /// </summary>
    public static IEnumerable<(string Key, string Message, string Fix)> Capacity(NetworkPlan plan, NodePool system, NodePool user)
    {
        var peak = AksNetwork.PeakNodes(system.MaxCount, user.MaxCount);
        var why = $"the pools can reach {peak} nodes (systemPool.maxCount {system.MaxCount} and userPool.maxCount {user.MaxCount}, each plus {AksNetwork.MaxSurgePercent}% upgrade surge)";
        var subnetNodes = (1L << (32 - plan.ClusterSubnet.PrefixLength)) - AksNetwork.SubnetReservedAddresses;
        if (peak > subnetNodes)
        {
            yield return ("clusterSubnet", $"{plan.ClusterSubnet} holds {subnetNodes} node addresses, but {why}.",
                "Widen clusterSubnet before the first deployment (it cannot change later), or lower the pools' maxCount.");
        }
        var podNodes = plan.PodCidr.PrefixLength > AksNetwork.OverlayPrefixPerNode ? 0 : 1L << (AksNetwork.OverlayPrefixPerNode - plan.PodCidr.PrefixLength);
        if (peak > podNodes)
        {
            yield return ("podCidr", $"{plan.PodCidr} holds {podNodes} nodes (Azure CNI overlay gives each node a /{AksNetwork.OverlayPrefixPerNode}), but {why}.",
                "Widen podCidr before the first deployment (e.g. 192.168.0.0/16 holds 256 nodes), or lower the pools' maxCount.");
        }
    }

    public static bool Contains(IPNetwork outer, IPNetwork inner) =>
        outer.PrefixLength <= inner.PrefixLength && outer.Contains(inner.BaseAddress);

    /// <summary>Whether a range is IPv4 (the plan is IPv4 only: AKS overlay dual-stack is not used).</summary>
    public static bool IsIPv4(IPNetwork range) => range.BaseAddress.AddressFamily == AddressFamily.InterNetwork;

    private static IPAddress Nth(IPNetwork range, int n)
    {
        var bytes = range.BaseAddress.GetAddressBytes();
        var value = ((uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3]) + (uint)n;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
}
