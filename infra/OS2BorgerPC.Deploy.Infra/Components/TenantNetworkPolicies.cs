using OS2BorgerPC.Deploy.Infra.Contracts;
using OS2BorgerPC.Deploy.Infra.Kubernetes;
using OS2BorgerPC.Deploy.Tenants.Model;
using Pulumi;
using Pulumi.Kubernetes.Networking.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Networking.V1;

namespace OS2BorgerPC.Deploy.Infra.Components;

/// <summary>
/// The tenant's network: everything denied, then only the flows the admin site needs. Peers without a
/// namespace selector are this namespace's own pods, so no other tenant reaches anything here.
/// </summary>
public sealed class TenantNetworkPolicies : ComponentResource
{
    /// <summary>Private address space: outbound HTTPS and SMTP go to the internet, not into the cluster's networks.</summary>
    internal static readonly string[] PrivateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"];

    public TenantNetworkPolicies(TenantScope scope, DatabaseConnection database, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:TenantNetworkPolicies", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var rules = new List<(string Name, NetworkPolicySpecArgs Spec)>
        {
            ("default-deny", new NetworkPolicySpecArgs
            {
                PodSelector = new LabelSelectorArgs(),
                PolicyTypes = { "Ingress", "Egress" },
            }),
            ("allow-dns", new NetworkPolicySpecArgs
            {
                PodSelector = new LabelSelectorArgs(),
                PolicyTypes = { "Egress" },
                Egress = new NetworkPolicyEgressRuleArgs
                {
                    To = new NetworkPolicyPeerArgs
                    {
                        NamespaceSelector = NamespaceNamed("kube-system"),
                        PodSelector = new LabelSelectorArgs { MatchLabels = { { "k8s-app", "kube-dns" } } },
                    },
                    Ports = { Port(53, "UDP"), Port(53, "TCP") },
                },
            }),
            ("admin-site-ingress", new NetworkPolicySpecArgs
            {
                PodSelector = Workloads.PodSelector(Workloads.AdminSite),
                PolicyTypes = { "Ingress" },
                Ingress =
                {
                    new NetworkPolicyIngressRuleArgs
                    {
                        From = new NetworkPolicyPeerArgs { NamespaceSelector = NamespaceNamed(tenant.Ingress.ControllerNamespace) },
                        Ports = Port(AdminSitePorts.MediaServer),
                    },
                    new NetworkPolicyIngressRuleArgs
                    {
                        From = new NetworkPolicyPeerArgs { PodSelector = Workloads.PodSelector(Workloads.ScheduledJob) },
                        Ports = Port(AdminSitePorts.Jobs),
                    },
                },
            }),
            ("admin-site-egress", new NetworkPolicySpecArgs
            {
                PodSelector = Workloads.PodSelector(Workloads.AdminSite),
                PolicyTypes = { "Egress" },
                Egress = AdminSiteEgress(tenant, database),
            }),
            ("scheduled-job-egress", new NetworkPolicySpecArgs
            {
                PodSelector = Workloads.PodSelector(Workloads.ScheduledJob),
                PolicyTypes = { "Egress" },
                Egress = new NetworkPolicyEgressRuleArgs
                {
                    To = new NetworkPolicyPeerArgs { PodSelector = Workloads.PodSelector(Workloads.AdminSite) },
                    Ports = Port(AdminSitePorts.Jobs),
                },
            }),
            ("backup-egress", new NetworkPolicySpecArgs
            {
                PodSelector = Workloads.PodSelector(Workloads.Backup),
                PolicyTypes = { "Egress" },
                Egress = new NetworkPolicyEgressRuleArgs { To = database.Peer, Ports = Port(database.Port) },
            }),
        };
        // Only the in-cluster database is a pod of this namespace; a managed server is reached by egress alone.
        if (tenant.Hosting == Hosting.Kubernetes)
        {
            rules.Add(("postgres-ingress", new NetworkPolicySpecArgs
            {
                PodSelector = Workloads.PodSelector(Workloads.Postgres),
                PolicyTypes = { "Ingress" },
                Ingress = new NetworkPolicyIngressRuleArgs
                {
                    From =
                    {
                        new NetworkPolicyPeerArgs { PodSelector = Workloads.PodSelector(Workloads.AdminSite) },
                        new NetworkPolicyPeerArgs { PodSelector = Workloads.PodSelector(Workloads.Backup) },
                    },
                    Ports = Port(database.Port),
                },
            }));
        }
        foreach (var (name, spec) in rules)
        {
            new NetworkPolicy(name, new NetworkPolicyArgs { Metadata = scope.Meta(name), Spec = spec },
                new CustomResourceOptions { Parent = this });
        }
        RegisterOutputs(new Dictionary<string, object?> { ["policies"] = rules.Count });
    }

    private static InputList<NetworkPolicyEgressRuleArgs> AdminSiteEgress(Tenant tenant, DatabaseConnection database)
    {
        var internet = new NetworkPolicyPeerArgs { IpBlock = new IPBlockArgs { Cidr = "0.0.0.0/0", Except = PrivateRanges } };
        var egress = new InputList<NetworkPolicyEgressRuleArgs>
        {
            new NetworkPolicyEgressRuleArgs { To = database.Peer, Ports = Port(database.Port) },
            // Core scripts are cloned from GitHub at every start.
            new NetworkPolicyEgressRuleArgs { To = internet, Ports = Port(443) },
        };
        if (tenant.Email is { } email)
        {
            egress.Add(new NetworkPolicyEgressRuleArgs { Ports = Port(email.Port) });
        }
        return egress;
    }

    private static NetworkPolicyPortArgs Port(int port, string protocol = "TCP") => new() { Port = port, Protocol = protocol };

    private static LabelSelectorArgs NamespaceNamed(string name) =>
        new() { MatchLabels = { { "kubernetes.io/metadata.name", name } } };
}
