using System.Collections.Immutable;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;
using static OS2BorgerPC.Deploy.TenantDecisions.Tests.Support.StackFile;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Traffic;

/// <summary>The tenant's NetworkPolicies come from the platform's facts and admit exactly the flows the admin site needs.</summary>
public sealed class TenantNetworkTests(TempRepository repository) : IClassFixture<TempRepository>
{
    [Fact]
    public void Only_the_gateway_and_the_smoke_check_reach_the_media_server_and_only_scheduled_jobs_the_jobs_port()
    {
        var rules = Plan(Kubernetes());

        var ingress = rules["admin-site-ingress"];
        ingress.Selects.ShouldBe(new PodGroup.Workload("admin-site"));
        var web = ingress.From.Single(f => f.Ports.SequenceEqual([new PortRule(AdminSitePorts.MediaServer)]));
        web.Peers.ShouldBe([Gateway(RecordedPlatform.Cluster), new Peer.InNamespace(new PodGroup.Workload("smoke-check"))]);
        var jobs = ingress.From.Single(f => f.Ports.SequenceEqual([new PortRule(AdminSitePorts.Jobs)]));
        jobs.Peers.ShouldBe([new Peer.InNamespace(new PodGroup.Workload("scheduled-job"))]);
        ingress.From.Length.ShouldBe(2);
    }

    [Fact]
    public void Without_the_smoke_check_no_rule_names_its_pods()
    {
        var rules = Plan(Kubernetes().Set("tenant.smokeCheck", "false"));

        rules.ShouldNotContainKey("smoke-check-egress");
        rules.Values.SelectMany(r => r.From.Concat(r.To)).SelectMany(f => f.Peers)
            .ShouldNotContain(new Peer.InNamespace(new PodGroup.Workload("smoke-check")));
        rules["admin-site-ingress"].From.Single(f => f.Ports.SequenceEqual([new PortRule(AdminSitePorts.MediaServer)])).Peers
            .ShouldBe([Gateway(RecordedPlatform.Cluster)]);
    }

    [Fact]
    public void The_http01_solver_is_reachable_from_the_gateway_only_where_http01_is_used()
    {
        var solver = Plan(Kubernetes().Set("tenant.gateway.certificate", "http01"))["acme-solver-ingress"];

        solver.Selects.ShouldBe(new PodGroup.Http01Solver());
        var flow = solver.From.ShouldHaveSingleItem();
        flow.Peers.ShouldBe([Gateway(RecordedPlatform.Cluster)]);
        flow.Ports.ShouldBe([new PortRule(8089)]);
        Plan(Kubernetes().Set("tenant.gateway.certificate", "dns01"), RecordedPlatform.Azure).ShouldNotContainKey("acme-solver-ingress");
        Plan(Kubernetes()).ShouldNotContainKey("acme-solver-ingress", "the platform's certificate needs no solver in the tenant's namespace");
    }

    [Fact]
    public void Dns_egress_follows_the_platform_stock_cluster_dns()
    {
        var dns = Plan(Kubernetes())["allow-dns"].To.ShouldHaveSingleItem();

        dns.Peers.ShouldBe([new Peer.PlatformPods("cluster DNS", "kube-system", RecordedPlatform.Cluster.Dns.Labels)]);
        dns.Ports.ShouldBe([new PortRule(53, "UDP"), new PortRule(53, "TCP")]);
    }

    [Fact]
    public void Dns_egress_admits_a_node_local_cache_and_other_ports()
    {
        // NodeLocal DNSCache on its link-local address, and OpenShift's DNS on 5353.
        var platform = RecordedPlatform.Cluster with
        {
            Dns = new ClusterDns("openshift-dns", ImmutableDictionary<string, string>.Empty.Add("dns.operator.openshift.io/daemonset-dns", "default"), ["169.254.20.10"], [5353]),
        };

        var dns = Plan(Kubernetes(), platform)["allow-dns"].To.ShouldHaveSingleItem();

        dns.Peers.ShouldBe([new Peer.PlatformPods("cluster DNS", "openshift-dns", platform.Dns.Labels), new Peer.Addresses("node-local DNS", "169.254.20.10/32", [])]);
        dns.Ports.ShouldBe([new PortRule(5353, "UDP"), new PortRule(5353, "TCP")]);
    }

    [Fact]
    public void Smtp_goes_only_to_the_relay_and_only_with_a_relay()
    {
        var withRelay = Plan(Kubernetes().Set("tenant.email", "{host: smtp.test.dk, port: 2525, from: borgerpc@test.dk, relayCidrs: [192.0.2.25/32, 198.51.100.0/28]}"));

        var smtp = withRelay["admin-site-egress"].To.Single(f => f.Ports.SequenceEqual([new PortRule(2525)]));
        smtp.Peers.ShouldBe([new Peer.Addresses("e-mail relay", "192.0.2.25/32", []), new Peer.Addresses("e-mail relay", "198.51.100.0/28", [])]);
        Plan(Kubernetes())["admin-site-egress"].To.Select(f => f.Ports.Single().Port).ShouldBe([5432, 443]);
    }

    [Fact]
    public void The_database_admits_the_app_and_the_backup_only_when_it_runs_in_the_namespace()
    {
        var inCluster = Plan(Kubernetes(), databaseInNamespace: true)["database-ingress"];

        inCluster.Selects.ShouldBe(new PodGroup.Database());
        var flow = inCluster.From.Single(f => f.Peers.Any(p => p is Peer.InNamespace { Pods: PodGroup.Workload }));
        flow.Peers.ShouldBe([new Peer.InNamespace(new PodGroup.Workload("admin-site")), new Peer.InNamespace(new PodGroup.Workload("backup"))]);
        flow.Ports.ShouldBe([new PortRule(5432)]);
        var outside = Plan(Kubernetes(), databaseInNamespace: false);
        outside.ShouldNotContainKey("database-ingress");
        outside.ShouldNotContainKey("database-egress");
    }

    [Fact]
    public void The_database_operator_reaches_every_instance_on_the_status_port_and_postgres()
    {
        var ingress = Plan(Kubernetes())["database-ingress"];

        var fromOperator = ingress.From.Single(f => f.Peers.Any(p => p is Peer.PlatformPods));
        fromOperator.Peers.ShouldBe([new Peer.PlatformPods("CloudNativePG operator", "cnpg-system", RecordedPlatform.Cluster.DatabaseOperator.Labels)]);
        fromOperator.Ports.ShouldBe([new PortRule(8000), new PortRule(5432)]);
    }

    /// <summary>Prometheus scrapes the instances' exporter only where the platform names its pods, and only that port.</summary>
    [Fact]
    public void The_platforms_prometheus_reaches_the_instances_metrics_port_only_where_the_platform_names_it()
    {
        var prometheus = new OperatorPods("monitoring", ImmutableDictionary<string, string>.Empty.Add("app.kubernetes.io/name", "prometheus"));

        var ingress = Plan(Kubernetes(), RecordedPlatform.Cluster with { Metrics = prometheus })["database-ingress"];

        var scraped = ingress.From.Single(f => f.Peers.Contains(new Peer.PlatformPods("Prometheus", "monitoring", prometheus.Labels)));
        scraped.Peers.Length.ShouldBe(1);
        scraped.Ports.ShouldBe([new PortRule(9187)]);
        Plan(Kubernetes())["database-ingress"].From.SelectMany(f => f.Ports).ShouldNotContain(new PortRule(9187));
        var tenant = repository.Open().Load(Kubernetes()).ShouldBeValid();
        var backup = Backup.OffSiteBackup.For(tenant, RecordedPlatform.Cluster.Backup);
        Backup.CloudNativePg.For(tenant, backup, RecordedPlatform.Cluster with { Metrics = prometheus }).PodMonitor.ShouldBeTrue();
        Backup.CloudNativePg.For(tenant, backup, RecordedPlatform.Cluster).PodMonitor.ShouldBeFalse();
    }

    [Theory]
    [InlineData("small", false)]
    [InlineData("medium", true)]
    [InlineData("large", true)]
    public void Instances_reach_each_other_for_replication_and_status_only_where_there_are_several(string size, bool replicated)
    {
        var rules = Plan(Kubernetes().Set("tenant.size", size));

        var instances = new Peer.InNamespace(new PodGroup.Database());
        string[] expected = replicated ? ["database on 5432, 8000"] : [];
        rules["database-ingress"].From.Where(f => f.Peers.Contains(instances)).Select(f => f.ToString()).ShouldBe(expected);
        rules["database-egress"].To.Where(f => f.Peers.Contains(instances)).Select(f => f.ToString()).ShouldBe(expected);
    }

    [Fact]
    public void Database_pods_reach_the_api_server_exactly_where_the_cluster_platform_states_it()
    {
        var egress = Plan(Kubernetes())["database-egress"];

        egress.Selects.ShouldBe(new PodGroup.Database());
        egress.PolicyTypes.ShouldBe(["Egress"]);
        var api = egress.To.Single(f => f.Peers.Any(p => p.ToString()!.StartsWith("Kubernetes API server")));
        api.Peers.ShouldBe([.. RecordedPlatform.Cluster.ApiServer.Cidrs.Select(c => (Peer)new Peer.Addresses("Kubernetes API server", c, []))]);
        api.Ports.ShouldBe([new PortRule(6443)]);
    }

    [Fact]
    public void Database_pods_on_aks_reach_the_public_api_server_the_store_and_entra_id_over_https_only()
    {
        var egress = Plan(Kubernetes(), RecordedPlatform.Azure)["database-egress"];

        egress.To.Select(f => f.ToString()).ShouldBe(
        [
            "Kubernetes API server (0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 100.64.0.0/10) on 443",
            "off-site store (https://stos2bpcbackupprod.blob.core.windows.net) (0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 100.64.0.0/10) on 443",
            "Entra ID (login.microsoftonline.com) (0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 100.64.0.0/10) on 443",
        ]);
    }

    [Fact]
    public void Database_pods_archive_wal_to_the_off_site_store()
    {
        var egress = Plan(Kubernetes())["database-egress"];

        egress.To.Select(f => f.ToString()).ShouldContain(
            "off-site store (https://s3.backup.example.dk) (0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 100.64.0.0/10) on 443");
    }

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("azure")]
    public void The_backup_workload_reaches_the_database_and_the_off_site_store_and_nothing_else(string hosting)
    {
        var stack = hosting == "azure" ? Azure() : Kubernetes();

        var cluster = Plan(stack, RecordedPlatform.Cluster, databaseInNamespace: hosting == "kubernetes")["backup-egress"].To;
        cluster.Select(f => f.ToString()).ShouldBe(
        [
            "database on 5432",
            "off-site store (https://s3.backup.example.dk) (0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 100.64.0.0/10) on 443",
        ]);
        var azure = Plan(stack, RecordedPlatform.Azure, databaseInNamespace: hosting == "kubernetes")["backup-egress"].To;
        azure.Select(f => f.ToString()).ShouldBe(
        [
            "database on 5432",
            "off-site store (https://stos2bpcbackupprod.blob.core.windows.net) (0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 100.64.0.0/10) on 443",
            "Entra ID (login.microsoftonline.com) (0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 100.64.0.0/10) on 443",
        ]);
    }

    [Theory]
    [InlineData("https://10.30.0.5:9000", "10.30.0.5/32", 9000)]
    [InlineData("https://192.168.7.20", "192.168.7.20/32", 443)]
    [InlineData("https://[fd00::5]:9000", "fd00::5/128", 9000)]
    public void A_store_at_a_private_address_or_another_port_is_admitted_exactly(string endpoint, string cidr, int port)
    {
        var platform = RecordedPlatform.Cluster with { Backup = RecordedPlatform.Cluster.Backup with { Endpoint = endpoint } };

        var rules = Plan(Kubernetes(), platform);

        var store = $"off-site store ({endpoint}) ({cidr}) on {port}";
        rules["backup-egress"].To.Select(f => f.ToString()).ShouldContain(store);
        rules["database-egress"].To.Select(f => f.ToString()).ShouldContain(store);
    }

    [Fact]
    public void A_store_host_name_on_a_private_network_is_admitted_at_the_addresses_the_platform_states_only()
    {
        var platform = RecordedPlatform.Cluster with
        {
            Backup = RecordedPlatform.Cluster.Backup with { Endpoint = "https://minio.kommune.local:9000", EndpointAddresses = ["10.30.0.5/32", "10.30.0.6/32"] },
        };

        var rules = Plan(Kubernetes(), platform);

        foreach (var name in new[] { "backup-egress", "database-egress" })
        {
            var store = rules[name].To.Single(f => f.Peers.Any(p => p.ToString()!.StartsWith("off-site store")));
            store.ToString().ShouldBe("off-site store (https://minio.kommune.local:9000) (10.30.0.5/32) | off-site store (https://minio.kommune.local:9000) (10.30.0.6/32) on 9000");
        }
    }

    [Fact]
    public void A_store_host_name_on_another_port_is_internet_on_that_port_only()
    {
        var platform = RecordedPlatform.Cluster with { Backup = RecordedPlatform.Cluster.Backup with { Endpoint = "https://minio.example.dk:9443" } };

        var store = Plan(Kubernetes(), platform)["backup-egress"].To.Single(f => f.Peers.Single().ToString()!.StartsWith("off-site store"));

        store.Ports.ShouldBe([new PortRule(9443)]);
        store.Peers.ShouldBe([new Peer.Addresses("off-site store (https://minio.example.dk:9443)", "0.0.0.0/0", TenantNetwork.PrivateRanges)]);
    }

    [Fact]
    public void Every_peer_is_this_namespace_a_platform_namespace_or_an_address_range_outside_the_cluster_networks()
    {
        var rules = Plan(Kubernetes().Set("tenant.email", "{host: smtp.test.dk, from: borgerpc@test.dk, relayCidrs: [192.0.2.25/32]}"), RecordedPlatform.Azure);

        var peers = rules.Values.SelectMany(r => r.From.Concat(r.To)).SelectMany(f => f.Peers).ToList();
        peers.OfType<Peer.PlatformPods>().Select(p => p.Namespace).Distinct().Order()
            .ShouldBe(["cnpg-system", "envoy-gateway-system", "kube-system"]);
        peers.OfType<Peer.Addresses>().Where(a => a.Cidr == "0.0.0.0/0").ShouldAllBe(a => a.Except.Contains("10.0.0.0/8") && a.Except.Contains("172.16.0.0/12") && a.Except.Contains("192.168.0.0/16"));
        rules["default-deny"].PolicyTypes.ShouldBe(["Ingress", "Egress"]);
        rules["default-deny"].From.ShouldBeEmpty();
        rules["default-deny"].To.ShouldBeEmpty();
    }

    private static Peer.PlatformPods Gateway(PlatformFacts platform) =>
        new("gateway", platform.Gateway.PodNamespace, platform.Gateway.Labels);

    private Dictionary<string, NetworkRule> Plan(StackFile stack, PlatformFacts? platform = null, bool databaseInNamespace = true)
    {
        platform ??= RecordedPlatform.Cluster;
        var tenant = repository.Open().Load(stack).ShouldBeValid();
        var traffic = TenantTraffic.Plan(tenant, platform, DisplayPath).Traffic.ShouldNotBeNull();
        var rules = TenantNetwork.Plan(tenant, platform, traffic, databaseInNamespace);
        rules.Select(r => r.Name).ShouldBeUnique();
        return rules.ToDictionary(r => r.Name);
    }
}
