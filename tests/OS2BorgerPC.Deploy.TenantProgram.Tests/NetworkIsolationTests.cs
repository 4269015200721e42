using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using Pulumi.Kubernetes.Networking.V1;
using NetworkPolicySpec = Pulumi.Kubernetes.Types.Outputs.Networking.V1.NetworkPolicySpec;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>The tenant's NetworkPolicies admit exactly the flows the admin site needs, and nothing from elsewhere.</summary>
[Collection(PulumiCollection.Name)]
public sealed class NetworkIsolationTests
{
    [Fact]
    public async Task Everything_is_denied_by_default_in_both_directions()
    {
        var policies = await Policies();

        var deny = policies["default-deny"];
        SelectsEveryPod(deny);
        deny.PolicyTypes.ShouldBe(["Ingress", "Egress"], ignoreOrder: true);
        OrEmpty(deny.Ingress).ShouldBeEmpty();
        OrEmpty(deny.Egress).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("aarhus", true)]
    [InlineData("demo", false)] // smokeCheck: false (and rendered to a folder): no smoke-check pod runs, so no rule names one
    public async Task Only_the_gateways_pods_and_a_running_smoke_check_reach_the_media_server_and_only_job_pods_the_jobs_port(string stack, bool smokeCheckRuns)
    {
        var policies = await Policies(await StackHarness.RunShipped(stack));
        var platform = StackHarness.PlatformOf(stack);

        var ingress = policies["admin-site-ingress"];
        Selects(ingress, "admin-site");
        ingress.Ingress.Length.ShouldBe(2);
        var web = ingress.Ingress.Single(r => r.Ports.Single().Port.AsT0 == 8081);
        var gateway = web.From.Single(p => p.NamespaceSelector is not null);
        gateway.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"].ShouldBe(platform.Gateway.PodNamespace);
        gateway.PodSelector.MatchLabels.ShouldBe(platform.Gateway.Labels, ignoreOrder: true);
        web.From.Where(p => p.NamespaceSelector is null).Select(p => p.PodSelector.MatchLabels["app.kubernetes.io/name"])
            .ShouldBe(smokeCheckRuns ? ["smoke-check"] : []);
        policies.ContainsKey("smoke-check-egress").ShouldBe(smokeCheckRuns);
        var fromJobs = ingress.Ingress.Single(r => r.Ports.Single().Port.AsT0 == 8080);
        var jobPeer = fromJobs.From.Single();
        jobPeer.NamespaceSelector.ShouldBeNull("a pod selector alone means this namespace only");
        jobPeer.PodSelector.MatchLabels["app.kubernetes.io/name"].ShouldBe("scheduled-job");
    }

    [Fact]
    public async Task The_gateway_reaches_cert_managers_http01_solver_on_its_port_where_the_tenant_uses_http01()
    {
        (await Policies()).ShouldNotContainKey("acme-solver-ingress", "the platform's certificate needs no solver here");
        var policies = await Policies(await StackHarness.Run("demo", RepositoryRoot.StackText("demo").Replace("    gateway: {}", "    gateway:\n      certificate: http01")));

        var solver = policies["acme-solver-ingress"];
        solver.PodSelector.MatchLabels["acme.cert-manager.io/http01-solver"].ShouldBe("true");
        var rule = solver.Ingress.Single();
        rule.Ports.Single().Port.AsT0.ShouldBe(8089);
        rule.From.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"].ShouldBe(Platform.Gateway.PodNamespace);
    }

    [Fact]
    public async Task Only_the_admin_site_the_backup_and_the_database_operator_reach_the_database()
    {
        var policies = await Policies();

        var database = policies["database-ingress"];
        // Every pod of the tenant's CloudNativePG clusters (a point-in-time restore's too), as the database contract selects them.
        database.PodSelector.MatchLabels.ShouldBe(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "postgres" });
        database.Ingress.Length.ShouldBe(2, "one instance in the small tier: no replication between instances");
        var rule = database.Ingress.Single(r => r.From.All(p => p.NamespaceSelector == null));
        rule.Ports.Single().Port.AsT0.ShouldBe(5432);
        rule.From.Select(p => p.PodSelector.MatchLabels["app.kubernetes.io/name"]).ShouldBe(["admin-site", "backup"], ignoreOrder: true);
        rule.From.ShouldAllBe(p => p.NamespaceSelector == null && p.IpBlock == null);
        // CloudNativePG's networking guide: the operator reaches every instance on the status port and PostgreSQL's.
        var fromOperator = database.Ingress.Single(r => r.From.Any(p => p.NamespaceSelector != null));
        var operatorPods = fromOperator.From.Single();
        operatorPods.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"].ShouldBe(Platform.DatabaseOperator.Namespace);
        operatorPods.PodSelector.MatchLabels.ShouldBe(Platform.DatabaseOperator.Labels, ignoreOrder: true);
        fromOperator.Ports.Select(p => p.Port.AsT0).ShouldBe([8000, 5432], ignoreOrder: true);
    }

    [Fact]
    public async Task The_database_reaches_the_api_server_the_platform_states_and_the_off_site_store()
    {
        var policies = await Policies();

        var egress = policies["database-egress"];
        egress.PodSelector.MatchLabels.ShouldBe(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "postgres" });
        egress.PolicyTypes.ShouldBe(["Egress"]);
        egress.Egress.Length.ShouldBe(2, "the API server and the store; one instance, no replication");
        var api = egress.Egress.Single(r => r.Ports.Single().Port.AsT0 == Platform.ApiServer.Port);
        api.To.Select(p => p.IpBlock.Cidr).ShouldBe(Platform.ApiServer.Cidrs);
        api.To.ShouldAllBe(p => OrEmpty(p.IpBlock.Except).IsEmpty);
        var store = egress.Egress.Single(r => r.Ports.Single().Port.AsT0 == 443);
        store.To.Single().IpBlock.Cidr.ShouldBe("0.0.0.0/0");
        store.To.Single().IpBlock.Except.ShouldContain("10.0.0.0/8", "a store named by host is on the internet, not in the cluster's networks");
    }

    [Fact]
    public async Task Replicated_instances_reach_each_other_on_postgres_and_the_status_port_in_both_directions()
    {
        var policies = await Policies(await StackHarness.Run("demo", RepositoryRoot.StackText("demo").Replace("    size: small", "    size: medium")));

        var ingress = policies["database-ingress"].Ingress.Single(r => r.From.All(p => p.PodSelector?.MatchLabels?.GetValueOrDefault("app.kubernetes.io/name") == "postgres"));
        var egress = policies["database-egress"].Egress.Single(r => r.To.All(p => p.PodSelector?.MatchLabels?.GetValueOrDefault("app.kubernetes.io/name") == "postgres"));
        foreach (var (peers, ports) in new[] { (ingress.From, ingress.Ports), (egress.To, egress.Ports) })
        {
            var peer = peers.Single();
            peer.NamespaceSelector.ShouldBeNull("the cluster's own instances, in this namespace only");
            peer.PodSelector.MatchLabels["app.kubernetes.io/name"].ShouldBe("postgres");
            ports.Select(p => p.Port.AsT0).ShouldBe([5432, 8000], ignoreOrder: true);
        }
    }

    [Fact]
    public async Task On_aks_the_database_and_the_backup_reach_the_public_api_server_the_blob_store_and_entra_id_over_https_only()
    {
        var run = await StackHarness.RunShipped("faelles-it");
        var policies = await Policies(run);

        foreach (var name in new[] { "database-egress", "backup-egress" })
        {
            var internet = policies[name].Egress.Where(r => r.To.Any(p => p.IpBlock is not null)).ToList();
            internet.ShouldNotBeEmpty();
            internet.ShouldAllBe(r => r.Ports.Single().Port.AsT0 == 443);
            internet.SelectMany(r => r.To).ShouldAllBe(p => p.IpBlock.Cidr == "0.0.0.0/0" && p.IpBlock.Except.Contains("10.0.0.0/8"));
        }
        // The API server, the store and Entra ID for the instances (and, medium, each other); the store and Entra ID for the backup (and the database).
        policies["database-egress"].Egress.Length.ShouldBe(4);
        policies["backup-egress"].Egress.Length.ShouldBe(3);
    }

    [Fact]
    public async Task The_admin_site_may_reach_its_database_and_https_on_the_internet_only()
    {
        var policies = await Policies();

        var egress = policies["admin-site-egress"];
        Selects(egress, "admin-site");
        egress.Egress.Length.ShouldBe(2, "no e-mail relay in the demo: no SMTP rule");
        var database = egress.Egress.Single(r => r.Ports.Single().Port.AsT0 == 5432);
        database.To.Single().PodSelector.MatchLabels["app.kubernetes.io/name"].ShouldBe("postgres");
        var https = egress.Egress.Single(r => r.Ports.Single().Port.AsT0 == 443);
        var internet = https.To.Single().IpBlock;
        internet.Cidr.ShouldBe("0.0.0.0/0");
        internet.Except.ShouldContain("10.0.0.0/8", "the cluster's own networks are not 'the internet'");
    }

    [Fact]
    public async Task Jobs_and_backups_reach_only_their_one_target_and_every_pod_may_resolve_names_where_the_platform_serves_them()
    {
        var policies = await Policies();

        var jobs = policies["scheduled-job-egress"].Egress.Single();
        jobs.To.Single().PodSelector.MatchLabels["app.kubernetes.io/name"].ShouldBe("admin-site");
        jobs.Ports.Single().Port.AsT0.ShouldBe(8080);
        var backup = policies["backup-egress"].Egress;
        backup.Length.ShouldBe(2, "the database, and the off-site store restic writes to");
        backup.Single(r => r.Ports.Single().Port.AsT0 == 5432).To.Single().PodSelector.MatchLabels["app.kubernetes.io/name"].ShouldBe("postgres");
        var store = backup.Single(r => r.Ports.Single().Port.AsT0 == 443).To.Single().IpBlock;
        store.Cidr.ShouldBe("0.0.0.0/0");
        store.Except.ShouldContain("10.0.0.0/8");
        var dns = policies["allow-dns"];
        SelectsEveryPod(dns);
        var rule = dns.Egress.Single();
        rule.Ports.Select(p => (p.Port.AsT0, p.Protocol)).ShouldBe(Platform.Dns.Ports.SelectMany(p => new[] { (p, "UDP"), (p, "TCP") }));
        var pods = rule.To.Single(p => p.NamespaceSelector is not null);
        pods.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"].ShouldBe(Platform.Dns.Namespace);
        pods.PodSelector.MatchLabels.ShouldBe(Platform.Dns.Labels, ignoreOrder: true);
        rule.To.Where(p => p.IpBlock is not null).Select(p => p.IpBlock.Cidr).ShouldBe(Platform.Dns.NodeLocalAddresses.Select(a => $"{a}/32"));
    }

    [Fact]
    public async Task An_email_relay_is_reached_on_its_addresses_and_port_only()
    {
        var yaml = RepositoryRoot.StackText("demo")
            .Replace("    smokeCheck: false", "    smokeCheck: false\n    email:\n      host: smtp.example.dk\n      port: 2525\n      from: borgerpc@example.dk\n      relayCidrs: [192.0.2.25/32]");

        var policies = await Policies(await StackHarness.Run("demo", yaml));

        var smtp = policies["admin-site-egress"].Egress.Single(r => r.Ports.Single().Port.AsT0 == 2525);
        smtp.To.Single().IpBlock.Cidr.ShouldBe("192.0.2.25/32");
    }

    [Fact]
    public async Task No_rule_admits_another_namespace_except_the_gateways_dns_and_the_database_operator()
    {
        var policies = await Policies();

        var peers = policies.Values.SelectMany(p => OrEmpty(p.Ingress).SelectMany(r => r.From).Concat(OrEmpty(p.Egress).SelectMany(r => OrEmpty(r.To))));
        var namespaces = peers.Where(p => p.NamespaceSelector is not null)
            .Select(p => p.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]).Distinct().Order();
        namespaces.ShouldBe(new[] { Platform.Gateway.PodNamespace, Platform.Dns.Namespace, Platform.DatabaseOperator.Namespace }.Distinct().Order());
    }

    private static void SelectsEveryPod(NetworkPolicySpec policy)
    {
        (policy.PodSelector.MatchLabels ?? []).ShouldBeEmpty();
        OrEmpty(policy.PodSelector.MatchExpressions).ShouldBeEmpty();
    }

    /// <summary>An absent list in an output is a default ImmutableArray.</summary>
    private static System.Collections.Immutable.ImmutableArray<T> OrEmpty<T>(System.Collections.Immutable.ImmutableArray<T> items) => items.IsDefault ? [] : items;

    private static void Selects(NetworkPolicySpec policy, string workload) =>
        policy.PodSelector.MatchLabels["app.kubernetes.io/name"].ShouldBe(workload);

    /// <summary>The platform the demo stack runs on (as the mocks record it).</summary>
    private static TenantDecisions.Platform.PlatformFacts Platform => StackHarness.PlatformOf("demo");

    private static async Task<Dictionary<string, NetworkPolicySpec>> Policies(StackRun? run = null)
    {
        run ??= await StackHarness.RunShipped("demo");
        var policies = new Dictionary<string, NetworkPolicySpec>();
        foreach (var policy in run.Resources.OfType<NetworkPolicy>())
        {
            policies[policy.GetResourceName()] = await policy.Spec.Value();
        }
        return policies;
    }
}
