using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Tests.Support;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>The facts a platform exports are decided here and read back by tenants with the same contract.</summary>
public sealed class TenantFactsTests
{
    public static readonly AzureCloudIds Cloud = new(
        "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-aks",
        "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-postgres",
        "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com",
        ["20.50.1.10", "20.50.1.11"],
        "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/dnszones/borgerpc.dk",
        "https://westeurope.oic.prod-aks.azure.com/t/c/",
        "/subscriptions/0/resourceGroups/rg-backup/providers/Microsoft.Storage/storageAccounts/stbackup",
        RecordedPlatform.Azure.Aks!,
        "crprod1a2b3c.azurecr.io",
        ["aarhus", "faelles-it"]);

    private static PlatformFacts RoundTrip(PlatformFacts facts)
    {
        var (parsed, problems) = PlatformFacts.Parse("test", "test", JsonNode.Parse(facts.ToJson()));
        problems.ShouldBeEmpty(PlatformAssertions.Describe(problems));
        return parsed!;
    }

    [Fact]
    public void An_azure_platform_exports_its_gateway_issuers_classes_and_network_as_tenants_read_them()
    {
        var platform = PlatformStackFile.Azure().Load().ShouldBeValid();

        var facts = RoundTrip(TenantFacts.For(platform, Cloud));

        facts.Flavour.ShouldBe(PlatformFlavour.Azure);
        facts.KubeContext.ShouldBeNull("tenants reach the cluster through Entra ID at its endpoint");
        facts.Aks.ShouldBe(Cloud.Cluster);
        facts.Gateway.Labels.ShouldBe(RecordedPlatform.Azure.Gateway.Labels, ignoreOrder: true);
        (facts.Gateway with { Labels = [] }).ShouldBe(RecordedPlatform.Azure.Gateway with { Labels = [] });
        facts.Issuers.ShouldBe(new CertificateIssuers("letsencrypt-http01", "letsencrypt-staging-http01", "letsencrypt-dns01"));
        facts.StorageClasses.ShouldBe(new StorageClasses("os2borgerpc-data", "os2borgerpc-shared"));
        facts.Backup.Kind.ShouldBe(BackupTargetKind.AzureBlob);
        facts.Backup.Endpoint.ShouldBe($"https://{platform.Names.BackupStorageAccount}.blob.core.windows.net");
        facts.Backup.AzureStorageAccountId.ShouldBe(Cloud.BackupStorageAccountId);
        var azure = facts.Azure.ShouldNotBeNull();
        azure.PostgresSubnetId.ShouldBe(Cloud.PostgresSubnetId);
        azure.ClusterSubnetCidr.ShouldBe("10.240.0.0/20");
        azure.EgressIps.ShouldBe(Cloud.EgressIps);
        azure.DnsZoneName.ShouldBe("borgerpc.dk");
        azure.Location.ShouldBe("westeurope");
        facts.PodSourceRanges.ShouldBe(["192.168.0.0/16", "10.240.0.0/20"], "a pod's request leaves with its own (overlay) address or its node's");
    }

    [Fact]
    public void A_cluster_platform_exports_its_context_and_s3_backup_target_and_no_dns01_issuer()
    {
        var platform = PlatformStackFile.Cluster().Load().ShouldBeValid();

        var facts = RoundTrip(TenantFacts.For(platform, null));

        facts.KubeContext.ShouldBe("fleet");
        facts.Issuers.Dns01.ShouldBeNull();
        facts.Azure.ShouldBeNull();
        facts.Backup.ShouldBe(new BackupTarget(BackupTargetKind.S3, "https://s3.example.dk", "os2borgerpc-backups", null, null, null, "backup-s3-credentials"));
        facts.Dns.Labels["k8s-app"].ShouldBe("kube-dns");
        facts.ApiServer.Reach.ShouldBe(ApiServerReach.Addresses, "an existing cluster's API server is where its operator says");
        facts.ApiServer.Cidrs.ShouldBe(["10.20.0.10/32"]);
        facts.ApiServer.Port.ShouldBe(6443);
        facts.PodSourceRanges.ShouldBeEmpty("an existing cluster's pod and node ranges are not stated, so the smoke check asks for no refusal");
    }

    /// <summary>The smoke check knows whether its pods are inside a tenant's allow-list only from these (SmokeCheckPlan).</summary>
    [Fact]
    public void A_cluster_platform_exports_the_pod_source_ranges_its_operator_states_and_refuses_what_is_no_range()
    {
        var platform = PlatformStackFile.Cluster().Set("cluster.podSourceRanges", """["10.244.0.0/16", "10.20.0.0/24", "fd00:10:244::/56"]""").Load().ShouldBeValid();

        RoundTrip(TenantFacts.For(platform, null)).PodSourceRanges.ShouldBe(["10.244.0.0/16", "10.20.0.0/24", "fd00:10:244::/56"]);
        PlatformStackFile.Cluster().Set("cluster.podSourceRanges", """["10.244.0.1/16"]""").Load()
            .ShouldReport("os2borgerpc-platform:platform.cluster.podSourceRanges", "'10.244.0.1/16' is not a range in CIDR notation");
        PlatformStackFile.Cluster().Set("cluster.podSourceRanges", "\"10.244.0.0/16\"").Load()
            .ShouldReport("os2borgerpc-platform:platform.cluster.podSourceRanges", "must be a list");
    }

    [Fact]
    public void A_cluster_platforms_prometheus_is_exported_only_where_its_operator_names_it()
    {
        var platform = PlatformStackFile.Cluster()
            .Set("cluster.prometheus", """{"namespace": "monitoring", "podLabels": {"app.kubernetes.io/name": "prometheus", "prometheus": "k8s"}}""").Load().ShouldBeValid();

        var metrics = RoundTrip(TenantFacts.For(platform, null)).Metrics.ShouldNotBeNull();

        metrics.Namespace.ShouldBe("monitoring");
        metrics.Labels.ShouldBe(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus", ["prometheus"] = "k8s" }, ignoreOrder: true);
        RoundTrip(TenantFacts.For(PlatformStackFile.Cluster().Load().ShouldBeValid(), null)).Metrics.ShouldBeNull();
    }

    [Fact]
    public void A_store_on_a_private_network_is_exported_with_the_addresses_its_host_resolves_to()
    {
        var platform = PlatformStackFile.Cluster().Set("cluster.backup.addresses", """["10.30.0.5/32"]""").Load().ShouldBeValid();

        RoundTrip(TenantFacts.For(platform, null)).Backup.EndpointAddresses.ShouldBe(["10.30.0.5/32"]);
        RoundTrip(TenantFacts.For(PlatformStackFile.Cluster().Load().ShouldBeValid(), null)).Backup.EndpointAddresses.ShouldBeEmpty();
    }

    [Fact]
    public void The_platform_exports_the_pods_of_the_database_operator_it_installs()
    {
        foreach (var facts in new[] { TenantFacts.For(PlatformStackFile.Cluster().Load().ShouldBeValid(), null), TenantFacts.For(PlatformStackFile.Azure().Load().ShouldBeValid(), Cloud) })
        {
            var pods = RoundTrip(facts).DatabaseOperator;
            pods.Namespace.ShouldBe(Model.DatabaseOperator.Namespace);
            // The chart's selector labels: its name, and the release the platform installs it as.
            pods.Labels.ShouldBe(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "cloudnative-pg", ["app.kubernetes.io/instance"] = Model.DatabaseOperator.Release }, ignoreOrder: true);
        }
    }

    [Fact]
    public void Aks_api_server_is_public_https_so_an_azure_platform_exports_it_as_internet_on_443()
    {
        var facts = RoundTrip(TenantFacts.For(PlatformStackFile.Azure().Load().ShouldBeValid(), Cloud));

        facts.ApiServer.Reach.ShouldBe(ApiServerReach.Internet);
        facts.ApiServer.Cidrs.ShouldBeEmpty();
        facts.ApiServer.Port.ShouldBe(443);
    }

    [Fact]
    public void The_demos_recorded_facts_are_what_the_demo_platform_exports()
    {
        var demo = PlatformLoader.Load(PlatformWorkspace.Open(RepositoryRoot.FullPath).ReadStack("demo")).ShouldBeValid();
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "stacks/platform/demo.facts.json")));

        var (parsed, problems) = PlatformFacts.Parse("demo", "stacks/platform/demo.facts.json", recorded);

        problems.ShouldBeEmpty(PlatformAssertions.Describe(problems));
        JsonNode.DeepEquals(JsonNode.Parse(parsed!.ToJson()), JsonNode.Parse(TenantFacts.For(demo, null).ToJson())).ShouldBeTrue(
            "stacks/platform/demo.facts.json differs from what stacks/platform/Pulumi.demo.yaml exports: record it again with 'platform show demo --facts'");
    }

    [Fact]
    public void Cloud_ids_belong_to_the_azure_flavour_only()
    {
        Should.Throw<ArgumentException>(() => TenantFacts.For(PlatformStackFile.Cluster().Load().ShouldBeValid(), Cloud));
        Should.Throw<ArgumentException>(() => TenantFacts.For(PlatformStackFile.Azure().Load().ShouldBeValid(), null));
    }

    [Fact]
    public void Every_storage_class_keeps_its_volumes_and_can_grow()
    {
        foreach (var platform in new[] { PlatformStackFile.Azure().Load().ShouldBeValid(), PlatformStackFile.Cluster().Load().ShouldBeValid() })
        {
            var (data, shared) = StorageClassPlan.For(platform);
            (data.Name, shared.Name).ShouldBe(("os2borgerpc-data", "os2borgerpc-shared"));
            StorageClassDecision.ReclaimPolicy.ShouldBe("Retain");
            StorageClassDecision.AllowVolumeExpansion.ShouldBeTrue();
        }
        var (_, azureFiles) = StorageClassPlan.For(PlatformStackFile.Azure().Load().ShouldBeValid());
        azureFiles.Provisioner.ShouldBe("file.csi.azure.com");
        var (_, cephfs) = StorageClassPlan.For(PlatformStackFile.Cluster().Load().ShouldBeValid());
        cephfs.Provisioner.ShouldBe("cephfs.csi.ceph.com");
        cephfs.Parameters["fsName"].ShouldBe("media");
    }
}
