using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantProgram.Contracts;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;
using Pulumi;
using Pulumi.Kubernetes.Networking.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Networking.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// The tenant's network, as <see cref="TenantNetwork"/> decided it from the tenant and the platform's facts:
/// everything denied, then only the flows the admin site, its backups and its database need. The database is
/// whatever its connection contract says: its pods in this namespace (CloudNativePG's instances, selected by their
/// cluster label, also as each other's peers), or the managed server's subnet.
/// </summary>
public sealed class TenantNetworkPolicies : ComponentResource
{
    public TenantNetworkPolicies(TenantScope scope, TenantTraffic traffic, DatabaseConnection database, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:TenantNetworkPolicies", scope.Tenant.Slug, options)
    {
        var rules = TenantNetwork.Plan(scope.Tenant, scope.Platform, traffic, databaseInNamespace: database.PodLabels is not null);
        foreach (var rule in rules)
        {
            new NetworkPolicy(rule.Name, new NetworkPolicyArgs
            {
                Metadata = scope.Meta(rule.Name),
                Spec = new NetworkPolicySpecArgs
                {
                    PodSelector = Selector(rule.Selects, database),
                    PolicyTypes = [.. rule.PolicyTypes],
                    Ingress = [.. rule.From.Select(flow => new NetworkPolicyIngressRuleArgs { From = Peers(flow, database), Ports = Ports(flow) })],
                    Egress = [.. rule.To.Select(flow => new NetworkPolicyEgressRuleArgs { To = Peers(flow, database), Ports = Ports(flow) })],
                },
            }, new CustomResourceOptions { Parent = this });
        }
        RegisterOutputs(new Dictionary<string, object?> { ["policies"] = rules.Count });
    }

    private static LabelSelectorArgs Selector(PodGroup pods, DatabaseConnection database) => pods switch
    {
        PodGroup.All => new LabelSelectorArgs(),
        PodGroup.Workload workload => Workloads.PodSelector(workload.Name),
        PodGroup.Http01Solver => new LabelSelectorArgs { MatchLabels = { { TenantNetwork.Http01SolverLabel, "true" } } },
        PodGroup.Database => database.PodLabels is { } labels
            ? new LabelSelectorArgs { MatchLabels = new Dictionary<string, string>(labels) }
            : throw new InvalidOperationException("The database runs outside the namespace: it has no pods to select."),
        _ => throw new InvalidOperationException($"No selector for {pods}."),
    };

    private static InputList<NetworkPolicyPeerArgs> Peers(Flow flow, DatabaseConnection database) =>
        [.. flow.Peers.Select(peer => peer switch
        {
            // A pod selector alone means this namespace only.
            Peer.InNamespace pods => new NetworkPolicyPeerArgs { PodSelector = Selector(pods.Pods, database) },
            Peer.Database => database.Peer,
            Peer.PlatformPods platform => new NetworkPolicyPeerArgs
            {
                NamespaceSelector = new LabelSelectorArgs { MatchLabels = { { TenantObjects.NamespaceNameLabel, platform.Namespace } } },
                PodSelector = new LabelSelectorArgs { MatchLabels = Labels(platform.Labels) },
            },
            Peer.Addresses addresses => new NetworkPolicyPeerArgs
            {
                IpBlock = new IPBlockArgs { Cidr = addresses.Cidr, Except = [.. addresses.Except] },
            },
            _ => throw new InvalidOperationException($"No NetworkPolicy peer for {peer}."),
        })];

    private static InputList<NetworkPolicyPortArgs> Ports(Flow flow) =>
        [.. flow.Ports.Select(port => new NetworkPolicyPortArgs { Port = port.Port, Protocol = port.Protocol })];

    private static InputMap<string> Labels(ImmutableDictionary<string, string> labels)
    {
        var map = new InputMap<string>();
        foreach (var (key, value) in labels)
        {
            map.Add(key, value);
        }
        return map;
    }
}
