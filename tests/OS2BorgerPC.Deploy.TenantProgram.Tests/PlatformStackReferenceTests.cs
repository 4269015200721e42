using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>
/// A tenant stack on its platform: the platform stack's recorded outputs (a StackReference under mocks, see
/// <see cref="TenantMocks"/>) decide the cluster, the storage classes and an azure tenant's database network.
/// </summary>
[Collection(PulumiCollection.Name)]
public sealed class PlatformStackReferenceTests
{
    private const string StackReference = "pulumi:pulumi:StackReference";
    private const string ClaimType = "kubernetes:core/v1:PersistentVolumeClaim";

    private static string StorageClassOf(StackRun run, string claim) =>
        (string)((IDictionary<string, object>)run.InputsOf(ClaimType, claim).Inputs["spec"])["storageClassName"];

    /// <summary>The CloudNativePG cluster's volumes' class (CNPG makes the claims).</summary>
    private static string DatabaseStorageClassOf(StackRun run) =>
        (string)((IDictionary<string, object>)((IDictionary<string, object>)run.InputsOf("kubernetes:postgresql.cnpg.io/v1:Cluster", "database").Inputs["spec"])["storage"])["storageClass"];

    [Fact]
    public async Task A_tenant_stack_resolves_its_platform_inputs_from_a_recorded_platform_stack_output()
    {
        var run = await StackHarness.RunShipped("faelles-it");

        run.Inputs.Single(i => i.Type == StackReference).Inputs["name"].ShouldBe("organization/os2borgerpc-platform/prod");
        var classes = RecordedPlatform.Azure.StorageClasses;
        DatabaseStorageClassOf(run).ShouldBe(classes.Data);
        StorageClassOf(run, "media").ShouldBe(classes.Shared);
        var provider = run.Inputs.Single(i => i.Type == "pulumi:providers:kubernetes").Inputs;
        provider["kubeconfig"].ShouldBe(AksKubeconfig.For(RecordedPlatform.Azure.Aks!), "Entra ID through kubelogin at the platform's endpoint, no stored credential");
        provider.ShouldNotContainKey("context");
    }

    /// <summary>Neither an output nor the provider hands out a cluster credential: an AKS platform is reached through Entra ID.</summary>
    [Theory]
    [InlineData("faelles-it")]
    [InlineData("aarhus")]
    [InlineData("demo")]
    public async Task No_tenant_output_or_provider_carries_a_static_cluster_credential(string stack)
    {
        var run = await StackHarness.RunShipped(stack);

        var outputs = await StackOutputs.Of(run.Resources.OfType<TenantStack>().Single());
        outputs.ShouldNotBeEmpty();
        outputs.Where(o => StaticCredentials.In(o.Value).Any()).Select(o => o.Key).ShouldBeEmpty();
        var provider = run.Inputs.Single(i => i.Type == "pulumi:providers:kubernetes").Inputs;
        StaticCredentials.In(provider.TryGetValue("kubeconfig", out var kubeconfig) ? (string)kubeconfig : "").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_cluster_flavour_platform_names_the_context_and_the_tenant_file_overrides_the_platform()
    {
        var run = await StackHarness.Run("faelles-it", FaellesItOn("acme/os2borgerpc-platform/cluster-prod", "\n    cluster:\n      storageClass: fast-ssd"));

        run.Inputs.Single(i => i.Type == StackReference).Inputs["name"].ShouldBe("acme/os2borgerpc-platform/cluster-prod");
        var provider = run.Inputs.Single(i => i.Type == "pulumi:providers:kubernetes").Inputs;
        provider["context"].ShouldBe(RecordedPlatform.Cluster.KubeContext);
        provider.ShouldNotContainKey("kubeconfig");
        DatabaseStorageClassOf(run).ShouldBe("fast-ssd");
        StorageClassOf(run, "media").ShouldBe(RecordedPlatform.Cluster.StorageClasses.Shared);
    }

    private const string PodMonitorType = "kubernetes:monitoring.coreos.com/v1:PodMonitor";

    /// <summary>
    /// Where the platform names its Prometheus, the database gets the kit's PodMonitor (CNPG's enablePodMonitor is deprecated:
    /// cloudnative-pg v1.30.0 docs/src/monitoring.md), selecting the instances and their exporter's port as CNPG's own did
    /// (pkg/specs/podmonitor.go), and admits those pods on the metrics port.
    /// </summary>
    [Fact]
    public async Task On_a_platform_with_prometheus_the_database_is_scraped_through_a_pod_monitor_and_nothing_else_opens()
    {
        var run = await StackHarness.Run("faelles-it", FaellesItOn("acme/os2borgerpc-platform/cluster-monitored"));

        var spec = (IDictionary<string, object>)run.Inputs.Single(i => i.Type == "kubernetes:postgresql.cnpg.io/v1:Cluster" && i.Name == "database").Inputs["spec"];
        spec.ShouldNotContainKey("monitoring");
        var monitor = (IDictionary<string, object>)run.InputsOf(PodMonitorType, "metrics").Inputs["spec"];
        ((IDictionary<string, object>)((IDictionary<string, object>)monitor["selector"])["matchLabels"])
            .ShouldBe(new Dictionary<string, object> { ["cnpg.io/cluster"] = "database", ["cnpg.io/podRole"] = "instance" }, ignoreOrder: true);
        ((IDictionary<string, object>)((IEnumerable<object>)monitor["podMetricsEndpoints"]).Single())["port"].ShouldBe("metrics");
        var ingress = (await run.Single<Pulumi.Kubernetes.Networking.V1.NetworkPolicy>("database-ingress").Spec.Value()).Ingress;
        var scrape = ingress.Single(rule => rule.Ports.Any(p => p.Port.AsT0 == 9187));
        scrape.Ports.Single().Port.AsT0.ShouldBe(9187);
        scrape.From.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"].ShouldBe("monitoring");
        scrape.From.Single().PodSelector.MatchLabels["app.kubernetes.io/name"].ShouldBe("prometheus");
        var plain = await StackHarness.RunShipped("demo");
        plain.Inputs.ShouldNotContain(i => i.Type == PodMonitorType);
    }

    private const string PrometheusRuleType = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

    /// <summary>Where the platform has Prometheus, the tenant's alert rules (TenantAlerts) are one PrometheusRule in its namespace; elsewhere none.</summary>
    [Fact]
    public async Task On_a_platform_with_prometheus_the_tenant_gets_its_alert_rules_and_without_one_none()
    {
        var run = await StackHarness.Run("faelles-it", FaellesItOn("acme/os2borgerpc-platform/cluster-monitored"));

        var rule = run.InputsOf(PrometheusRuleType, "alerts").Inputs;
        ((IDictionary<string, object>)rule["metadata"])["namespace"].ShouldBe("os2borgerpc-faelles-it");
        var group = (IDictionary<string, object>)((IEnumerable<object>)((IDictionary<string, object>)rule["spec"])["groups"]).Single();
        var rules = ((IEnumerable<object>)group["rules"]).Cast<IDictionary<string, object>>().ToList();
        rules.Select(r => r["alert"]).ShouldBe(["OS2BorgerPCWalArchivingFailing", "OS2BorgerPCBackupTooOld", "OS2BorgerPCCertificateExpiring", "OS2BorgerPCPodsNotReady"]);
        ((IDictionary<string, object>)rules[0]["labels"])["severity"].ShouldBe("critical");
        rules[1]["for"].ShouldBe("15m");

        (await StackHarness.Run("faelles-it", FaellesItOn("acme/os2borgerpc-platform/cluster"))).Inputs.ShouldNotContain(i => i.Type == PrometheusRuleType);
        (await StackHarness.RunShipped("demo")).Inputs.ShouldNotContain(i => i.Type == PrometheusRuleType);
    }

    /// <summary>
    /// An azure platform makes each tenant's resource group (the deploying identity writes only there); a cluster platform
    /// makes nothing in Azure, so an azure tenant on it makes its own, protected and retained like the data.
    /// </summary>
    [Fact]
    public async Task An_azure_tenant_on_a_cluster_platform_makes_its_own_resource_group_and_on_an_azure_platform_none()
    {
        var yaml = RepositoryRoot.StackText("aarhus").Replace("    cluster: {}", "    platform:\n      stack: acme/os2borgerpc-platform/cluster-prod")
            + "  os2borgerpc:backupS3AccessKeyId:\n    secure: v1:AAAA\n  os2borgerpc:backupS3SecretAccessKey:\n    secure: v1:BBBB\n";

        var run = await StackHarness.Run("aarhus", yaml);

        var group = run.Inputs.Single(i => i.Type == "azure:core/resourceGroup:ResourceGroup");
        (group.Inputs["name"], group.Inputs["location"]).ShouldBe(("rg-os2borgerpc-aarhus", "westeurope"));
        var options = run.OptionsOf("azure:core/resourceGroup:ResourceGroup", "resource-group");
        (options.Protect, options.RetainOnDelete).ShouldBe((true, true));
        run.Inputs.Single(i => i.Type == "azure:postgresql/flexibleServer:FlexibleServer").Inputs["resourceGroupName"].ShouldBe("rg-os2borgerpc-aarhus");
        (await StackHarness.RunShipped("aarhus")).Inputs.ShouldNotContain(i => i.Type == "azure:core/resourceGroup:ResourceGroup");
    }

    [Fact]
    public async Task An_azure_tenant_without_a_network_of_its_own_puts_its_server_in_the_platforms_delegated_subnet()
    {
        var yaml = string.Join('\n', RepositoryRoot.StackText("aarhus").Split('\n')
            .Where(line => !line.Contains("delegatedSubnetId:") && !line.Contains("privateDnsZoneId:")));

        var run = await StackHarness.Run("aarhus", yaml);

        var server = run.Inputs.Single(i => i.Type == "azure:postgresql/flexibleServer:FlexibleServer").Inputs;
        var azure = RecordedPlatform.Azure.Azure!;
        server["delegatedSubnetId"].ShouldBe(azure.PostgresSubnetId);
        server["privateDnsZoneId"].ShouldBe(azure.PostgresPrivateDnsZoneId);
        server["publicNetworkAccessEnabled"].ShouldBe(false);
    }

    [Fact]
    public async Task The_demo_takes_its_platform_from_the_recorded_facts_file_without_a_stack_reference()
    {
        var run = await StackHarness.RunShipped("demo");

        run.Inputs.ShouldNotContain(i => i.Type == StackReference);
        StorageClassOf(run, "media").ShouldBe("os2borgerpc-shared");
    }

    [Theory]
    [InlineData("acme/os2borgerpc-platform/missing", "tenantPlatform", "pulumi up")]
    [InlineData("acme/os2borgerpc-platform/cluster-prod", "os2borgerpc:tenant.azure", "flavour cluster")]
    // Its group is the foundation's to make (an operator's up); the deploying identity may only deploy into it.
    [InlineData("acme/os2borgerpc-platform/groups-not-made", "rg-os2borgerpc-aarhus", "in infra/OS2BorgerPC.Deploy.FoundationProgram")]
    public async Task A_tenant_whose_platform_cannot_serve_it_is_refused_before_anything_is_provisioned(string platform, string key, string says)
    {
        var yaml = string.Join('\n', RepositoryRoot.StackText("aarhus").Split('\n')
            .Where(line => !line.Contains("delegatedSubnetId:") && !line.Contains("privateDnsZoneId:")))
            .Replace("    cluster: {}", $"    platform:\n      stack: {platform}\n    cluster: {{}}");

        var error = await Should.ThrowAsync<Exception>(() => StackHarness.Run("aarhus", yaml));

        error.ToString().ShouldContain(key);
        error.ToString().ShouldContain(says);
        error.ToString().ShouldContain("nothing was provisioned");
    }

    /// <summary>faelles-it on a cluster-flavour (S3) platform stack: the tenant holds its own key to the store.</summary>
    private static string FaellesItOn(string platformStack, string clusterSettings = "") =>
        RepositoryRoot.StackText("faelles-it").Replace("    cluster: {}", $"    platform:\n      stack: {platformStack}{clusterSettings}")
        + "  os2borgerpc:backupS3AccessKeyId:\n    secure: v1:AAAA\n  os2borgerpc:backupS3SecretAccessKey:\n    secure: v1:BBBB\n";
}
