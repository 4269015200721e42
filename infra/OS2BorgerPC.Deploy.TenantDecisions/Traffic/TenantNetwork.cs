using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.TenantDecisions.Traffic;

/// <summary>Pods of the tenant's own namespace, as a policy selects them or a rule names them.</summary>
public abstract record PodGroup
{
    private PodGroup() { }

    public sealed record All : PodGroup
    {
        public override string ToString() => "every pod";
    }

    /// <summary>Pods labelled <c>app.kubernetes.io/name: Name</c>.</summary>
    public sealed record Workload(string Name) : PodGroup
    {
        public override string ToString() => Name;
    }

    /// <summary>cert-manager's HTTP-01 solver pods (label <see cref="TenantNetwork.Http01SolverLabel"/>).</summary>
    public sealed record Http01Solver : PodGroup
    {
        public override string ToString() => "cert-manager HTTP-01 solver";
    }

    /// <summary>The database's pods, as the database's connection contract selects them (in-cluster hosting only).</summary>
    public sealed record Database : PodGroup
    {
        public override string ToString() => "database";
    }
}

/// <summary>The other end of an allowed flow.</summary>
public abstract record Peer
{
    private Peer() { }

    /// <summary>Pods of the tenant's own namespace (a peer without a namespace selector).</summary>
    public sealed record InNamespace(PodGroup Pods) : Peer
    {
        public override string ToString() => Pods.ToString()!;
    }

    /// <summary>Pods of a platform namespace, selected by namespace name and labels the platform exports.</summary>
    public sealed record PlatformPods(string What, string Namespace, ImmutableDictionary<string, string> Labels) : Peer
    {
        public override string ToString() =>
            $"{What} ({Namespace}: {string.Join(", ", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))})";
    }

    /// <summary>The database, as its connection contract names it: its pods in this namespace, or the managed server's subnet.</summary>
    public sealed record Database : Peer
    {
        public override string ToString() => "database";
    }

    /// <summary>An address range (NetworkPolicy ipBlock).</summary>
    public sealed record Addresses(string What, string Cidr, ImmutableArray<string> Except) : Peer
    {
        public override string ToString() => Except.IsEmpty ? $"{What} ({Cidr})" : $"{What} ({Cidr} except {string.Join(", ", Except)})";
    }
}

public sealed record PortRule(int Port, string Protocol = "TCP")
{
    public override string ToString() => Protocol == "TCP" ? $"{Port}" : $"{Port}/{Protocol}";
}

/// <summary>Traffic allowed to or from <see cref="Peers"/> on <see cref="Ports"/> (empty: every port).</summary>
public sealed record Flow(ImmutableArray<Peer> Peers, ImmutableArray<PortRule> Ports)
{
    public override string ToString() =>
        $"{string.Join(" | ", Peers)} on {(Ports.IsEmpty ? "any port" : string.Join(", ", Ports))}";
}

/// <summary>One NetworkPolicy: the pods it selects, and the flows it admits into (<see cref="From"/>) and out of (<see cref="To"/>) them.</summary>
public sealed record NetworkRule(string Name, PodGroup Selects, ImmutableArray<string> PolicyTypes, ImmutableArray<Flow> From, ImmutableArray<Flow> To);

/// <summary>
/// The tenant's NetworkPolicies, decided from the tenant and the platform's facts (never guessed): everything
/// denied, then exactly the flows the admin site, its backups and its database need. No rule names another
/// tenant's namespace: the only other namespaces are the platform's gateway, DNS and database-operator pods, and
/// internet ranges leave out the private ranges a cluster's pods live in (an address the platform states, such as
/// its API server or a private backup store, is admitted exactly).
/// </summary>
public static class TenantNetwork
{
    /// <summary>cert-manager labels its HTTP-01 solver pods with this (value "true").</summary>
    public const string Http01SolverLabel = "acme.cert-manager.io/http01-solver";

    /// <summary>The port cert-manager's HTTP-01 solver listens on.</summary>
    public const int Http01SolverPort = 8089;

    /// <summary>Private address space: outbound HTTPS goes to the internet, not into the cluster's networks.</summary>
    public static readonly ImmutableArray<string> PrivateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"];

    public const string AdminSite = TenantObjects.AdminSite;
    public const string ScheduledJob = TenantObjects.ScheduledJob;
    public const string Backup = TenantObjects.Backup;
    public const string SmokeCheck = TenantObjects.SmokeCheck;

    /// <param name="traffic">The tenant's traffic plan: whether cert-manager's HTTP-01 solver needs admitting.</param>
    /// <param name="databaseInNamespace">The database runs as pods of the tenant's namespace (admit the app and the backup into them).</param>
    public static IReadOnlyList<NetworkRule> Plan(Tenant tenant, PlatformFacts platform, TenantTraffic traffic, bool databaseInNamespace)
    {
        var gateway = new Peer.PlatformPods("gateway", platform.Gateway.PodNamespace, platform.Gateway.Labels);
        var database = new PortRule(DatabaseEndpoint.PostgresPort);
        // No rule names the smoke check's pods where none run (smokeCheck: false, or manifests rendered to a folder).
        Peer[] smokeCheck = tenant.RunsSmokeCheck ? [InNamespace(SmokeCheck)] : [];
        var rules = new List<NetworkRule>
        {
            new("default-deny", new PodGroup.All(), ["Ingress", "Egress"], [], []),
            new("allow-dns", new PodGroup.All(), ["Egress"], [], [Dns(platform.Dns)]),
            new("admin-site-ingress", Workload(AdminSite), ["Ingress"],
            [
                // The gateway reaches the media server, which serves /media/ and proxies the rest to the app; the smoke check does the same.
                new([gateway, .. smokeCheck], [new PortRule(AdminSitePorts.MediaServer)]),
                new([InNamespace(ScheduledJob)], [new PortRule(AdminSitePorts.Jobs)]),
            ], []),
            new("admin-site-egress", Workload(AdminSite), ["Egress"], [], AdminSiteEgress(tenant, database)),
            new("scheduled-job-egress", Workload(ScheduledJob), ["Egress"], [], [new([InNamespace(AdminSite)], [new PortRule(AdminSitePorts.Jobs)])]),
            // The backup workload runs the nightly backup, the pre-upgrade backup, restores and the restore-point list:
            // the database, and the off-site store (restic).
            new("backup-egress", Workload(Backup), ["Egress"], [], [new([new Peer.Database()], [database]), .. OffSiteStore(platform.Backup)]),
        };
        if (tenant.RunsSmokeCheck)
        {
            // The smoke check asks the admin site through its Service and through the gateway (whose pods listen on ports the platform maps).
            rules.Add(new("smoke-check-egress", Workload(SmokeCheck), ["Egress"], [],
            [
                new([InNamespace(AdminSite)], [new PortRule(AdminSitePorts.MediaServer)]),
                new([gateway], []),
            ]));
        }
        if (traffic.Certificate is { UsesHttp01Solver: true })
        {
            rules.Add(new("acme-solver-ingress", new PodGroup.Http01Solver(), ["Ingress"], [new([gateway], [new PortRule(Http01SolverPort)])], []));
        }
        if (databaseInNamespace)
        {
            rules.AddRange(DatabaseRules(tenant, platform, database));
        }
        return rules;
    }

    /// <summary>CloudNativePG's instance manager serves its status (and the operator's in-place upgrades) here.</summary>
    public const int InstanceStatusPort = 8000;

    /// <summary>CloudNativePG's metrics exporter on every instance (its PodMonitor scrapes it).</summary>
    public const int InstanceMetricsPort = 9187;

    /// <summary>
    /// The CloudNativePG instances (and the Jobs CNPG runs for them, which carry the same cluster label): the app and
    /// the backup on PostgreSQL's port; the operator on the status port and PostgreSQL's, as CNPG's networking guide
    /// requires; the instances among themselves (streaming replication, pg_rewind, status) where there are several;
    /// out to the API server (the instance manager watches its Cluster and reports status: without it no pod gets ready)
    /// and to the off-site store (WAL archiving, base backups, recovery). Where the platform names its Prometheus pods,
    /// those on the metrics port.
    /// </summary>
    private static IEnumerable<NetworkRule> DatabaseRules(Tenant tenant, PlatformFacts platform, PortRule database)
    {
        var status = new PortRule(InstanceStatusPort);
        var operatorPods = new Peer.PlatformPods("CloudNativePG operator", platform.DatabaseOperator.Namespace, platform.DatabaseOperator.Labels);
        var instances = new Peer.InNamespace(new PodGroup.Database());
        var replicated = tenant.Size.DatabaseInstances > 1;
        Flow[] between = replicated ? [new([instances], [database, status])] : [];
        Flow[] scraped = platform.Metrics is { } metrics
            ? [new([new Peer.PlatformPods("Prometheus", metrics.Namespace, metrics.Labels)], [new PortRule(InstanceMetricsPort)])]
            : [];
        yield return new("database-ingress", new PodGroup.Database(), ["Ingress"],
        [
            new([InNamespace(AdminSite), InNamespace(Backup)], [database]),
            new([operatorPods], [status, database]),
            .. between,
            .. scraped,
        ], []);
        yield return new("database-egress", new PodGroup.Database(), ["Egress"], [],
        [
            ApiServer(platform.ApiServer),
            .. OffSiteStore(platform.Backup),
            .. between,
        ]);
    }

    /// <summary>The Kubernetes API server's endpoint, as the platform states it.</summary>
    public static Flow ApiServer(KubernetesApiServer api) => new(
        api.Reach == ApiServerReach.Internet
            ? [Internet("Kubernetes API server")]
            : [.. api.Cidrs.Select(cidr => new Peer.Addresses("Kubernetes API server", cidr, []))],
        [new PortRule(api.Port)]);

    /// <summary>Microsoft Entra ID's token endpoint: workload identity exchanges the pod's federated token here.</summary>
    public const string EntraIdHost = "login.microsoftonline.com";

    /// <summary>
    /// The off-site store at its endpoint's port: an address given as such, or the addresses the platform states
    /// for its host (a store on a private network), exactly; otherwise a host name as internet outside the private
    /// ranges (NetworkPolicy cannot name a host). On an Azure Blob target, Entra ID too, for the workload identity
    /// token exchange.
    /// </summary>
    public static ImmutableArray<Flow> OffSiteStore(BackupTarget target)
    {
        var endpoint = new Uri(target.Endpoint);
        var what = $"off-site store ({endpoint.GetLeftPart(UriPartial.Authority)})";
        ImmutableArray<Peer> store = System.Net.IPAddress.TryParse(endpoint.IdnHost.Trim('[', ']'), out var address)
            ? [new Peer.Addresses(what, $"{address}/{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32)}", [])]
            : target.EndpointAddresses.IsDefaultOrEmpty
                ? [Internet(what)]
                : [.. target.EndpointAddresses.Select(cidr => new Peer.Addresses(what, cidr, []))];
        var flows = ImmutableArray.CreateBuilder<Flow>();
        flows.Add(new(store, [new PortRule(endpoint.Port)]));
        if (target.Kind == BackupTargetKind.AzureBlob)
        {
            flows.Add(new([Internet($"Entra ID ({EntraIdHost})")], [new PortRule(443)]));
        }
        return flows.ToImmutable();
    }

    private static Peer.Addresses Internet(string what) => new(what, "0.0.0.0/0", PrivateRanges);

    /// <summary>Name resolution: the cluster DNS pods, and the node-local cache addresses, on the ports the platform serves DNS on.</summary>
    public static Flow Dns(ClusterDns dns)
    {
        var peers = ImmutableArray.CreateBuilder<Peer>();
        peers.Add(new Peer.PlatformPods("cluster DNS", dns.Namespace, dns.Labels));
        foreach (var address in dns.NodeLocalAddresses)
        {
            peers.Add(new Peer.Addresses("node-local DNS", $"{address}/32", []));
        }
        return new Flow(peers.ToImmutable(), [.. dns.Ports.SelectMany(port => new[] { new PortRule(port, "UDP"), new PortRule(port, "TCP") })]);
    }

    private static ImmutableArray<Flow> AdminSiteEgress(Tenant tenant, PortRule database)
    {
        var egress = ImmutableArray.CreateBuilder<Flow>();
        egress.Add(new([new Peer.Database()], [database]));
        // Core scripts are cloned from GitHub at every start.
        egress.Add(new([Internet("internet")], [new PortRule(443)]));
        if (tenant.Email is { } email)
        {
            egress.Add(new([.. email.RelayCidrs.Select(cidr => new Peer.Addresses("e-mail relay", cidr.ToString(), []))], [new PortRule(email.Port)]));
        }
        return egress.ToImmutable();
    }

    private static PodGroup Workload(string name) => new PodGroup.Workload(name);

    private static Peer InNamespace(string workload) => new Peer.InNamespace(new PodGroup.Workload(workload));
}
