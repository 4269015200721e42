using System.Net;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformDecisions.Tests.Support;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>Platform stack files: the shipped ones load, defaults apply, and every bad value is named with its fix.</summary>
public sealed class PlatformLoadingTests
{
    private static readonly PlatformWorkspace Workspace = PlatformWorkspace.Open(RepositoryRoot.FullPath);

    [Fact]
    public void The_shipped_platform_stacks_are_valid()
    {
        Workspace.StackNames().ShouldBe(["demo", "prod"]);
        var prod = PlatformLoader.Load(Workspace.ReadStack("prod")).ShouldBeValid();
        prod.Flavour.ShouldBe(PlatformFlavour.Azure);
        prod.Azure!.EgressIpCount.ShouldBe(2);
        var demo = PlatformLoader.Load(Workspace.ReadStack("demo")).ShouldBeValid();
        demo.Cluster!.Shared.Parameters["server"].ShouldBe("nfs.borgerpc.test");
        demo.Cluster.ApiServer.Cidrs.ShouldBe(["172.18.0.2/32"]);
    }

    [Fact]
    public void A_minimal_azure_platform_gets_the_kits_defaults()
    {
        var platform = PlatformStackFile.Azure().Load().ShouldBeValid();

        platform.Gateway.ShouldBe(new SharedGateway("os2borgerpc", "os2borgerpc-gateway"));
        platform.Charts.ShouldBe(ChartVersions.Pinned);
        var azure = platform.Azure.ShouldNotBeNull();
        azure.Network.ShouldBe(PlatformLoader.DefaultNetwork);
        azure.Aks.ShouldBe(new AksSettings(PlatformRules.DefaultKubernetesVersion, "patch", PlatformLoader.DefaultSystemPool, PlatformLoader.DefaultUserPool));
        azure.EgressIpCount.ShouldBe(1);
        azure.Aks.ApiServerAuthorizedRanges.ShouldBeEmpty("the default: a public API server, Entra ID sign-in only");
        platform.Cluster.ShouldBeNull();
        platform.Names.Cluster.ShouldBe("aks-os2borgerpc-test");
    }

    [Fact]
    public void The_stack_file_overrides_the_defaults()
    {
        var platform = PlatformStackFile.Azure()
            .Set("azure.network", """{"virtualNetwork": "10.50.0.0/16", "clusterSubnet": "10.50.0.0/20", "postgresSubnet": "10.50.16.0/28", "serviceCidr": "172.20.0.0/16", "dnsServiceIp": "172.20.0.10", "podCidr": "100.64.0.0/12"}""")
            .Set("azure.kubernetes", """{"version": "1.34", "userPool": {"vmSize": "Standard_E8as_v5", "minCount": 2, "maxCount": 4}, "maintenance": {"nodeOs": {"day": "Wednesday", "start": "22:30", "hours": 6}}}""")
            .Set("charts", """{"certManager": "v1.21.0"}""")
            .Set("gateway", """{"name": "fleet", "namespace": "edge"}""")
            .Load().ShouldBeValid();

        platform.Azure!.Network.PostgresSubnet.ShouldBe(IPNetwork.Parse("10.50.16.0/28"));
        platform.Azure.Network.DnsServiceIp.ShouldBe(IPAddress.Parse("172.20.0.10"));
        platform.Azure.Aks.KubernetesVersion.ShouldBe("1.34");
        platform.Azure.Aks.NodeOsWindow.ShouldBe(new MaintenanceWindow(DayOfWeek.Wednesday, new TimeOnly(22, 30), 6));
        platform.Azure.Aks.AutoUpgradeWindow.ShouldBe(new MaintenanceWindow(DayOfWeek.Sunday, new TimeOnly(1, 0), 4));
        platform.Azure.Aks.UserPool.ShouldBe(new NodePool("Standard_E8as_v5", 2, 4));
        platform.Charts.CertManager.ShouldBe(ChartVersions.Pinned.CertManager with { Version = "v1.21.0" });
        platform.Charts.EnvoyGateway.ShouldBe(ChartVersions.Pinned.EnvoyGateway);
        platform.Gateway.PodLabels["gateway.envoyproxy.io/owning-gateway-namespace"].ShouldBe("edge");
    }

    [Theory]
    // Flavour, domain, e-mail.
    [InlineData("flavour", "\"openstack\"", "platform.flavour", "is not a platform flavour")]
    [InlineData("flavour", null, "platform.flavour", "is missing")]
    [InlineData("baseDomain", "\"https://borgerpc.dk\"", "platform.baseDomain", "is not a DNS zone name")]
    [InlineData("baseDomain", "\"borgerpc.dk.\"", "platform.baseDomain", "is not a DNS zone name")]
    [InlineData("issuerEmail", "\"drift\"", "platform.issuerEmail", "is not an e-mail address")]
    [InlineData("issuerEmail", null, "platform.issuerEmail", "is missing")]
    [InlineData("cluster", "{}", "platform.cluster", "is set, but flavour is azure")]
    [InlineData("gateway.name", "\"Fleet_Gateway\"", "platform.gateway.name", "is not a Kubernetes name")]
    [InlineData("gateway.size", "1", "platform.gateway.size", "is not a known key")]
    // Chart versions: exact, written as the publisher writes them.
    [InlineData("charts.envoyGateway", "\"latest\"", "platform.charts.envoyGateway", "is not an exact version")]
    [InlineData("charts.envoyGateway", "\"1.9.0\"", "platform.charts.envoyGateway", "v1.9.0")]
    [InlineData("charts.cloudNativePg", "\"v0.26.0\"", "platform.charts.cloudNativePg", "is not an exact version")]
    [InlineData("charts.certManager", "\"v1.19\"", "platform.charts.certManager", "is not an exact version")]
    [InlineData("charts.ingressNginx", "\"4.0.0\"", "platform.charts.ingressNginx", "is not a known key")]
    // Azure basics.
    [InlineData("azure.location", "\"West Europe\"", "platform.azure.location", "is not an Azure region name")]
    // Data residency: EU/EEA regions only, unless a named approval admits another.
    [InlineData("azure.location", "\"eastus\"", "platform.azure.location", "outside the EU/EEA regions")]
    [InlineData("azure.location", "\"switzerlandnorth\"", "platform.azure.location", "azure.outsideEeaApproval")]
    [InlineData("azure.githubRepository", "\"os2borgerpc\"", "platform.azure.githubRepository", "owner/name")]
    [InlineData("azure.egressIps", "0", "platform.azure.egressIps", "outside 1-16")]
    // Kubernetes version: format and the supported window.
    [InlineData("azure.kubernetes.version", "\"v1.35\"", "platform.azure.kubernetes.version", "is not a Kubernetes version")]
    [InlineData("azure.kubernetes.version", "\"1.35.x\"", "platform.azure.kubernetes.version", "is not a Kubernetes version")]
    [InlineData("azure.kubernetes.version", "\"1.29\"", "platform.azure.kubernetes.version", "outside the versions AKS supports")]
    [InlineData("azure.kubernetes.version", "\"1.99\"", "platform.azure.kubernetes.version", "outside the versions AKS supports")]
    [InlineData("azure.kubernetes.autoUpgradeChannel", "\"rapid\"", "platform.azure.kubernetes.autoUpgradeChannel", "patch or stable")]
    [InlineData("azure.kubernetes.autoUpgradeChannel", "\"none\"", "platform.azure.kubernetes.autoUpgradeChannel", "is not an accepted auto-upgrade channel")]
    // A version the channel would move away from: AKS rewrites kubernetesVersion after an auto-upgrade (Azure/AKS#3573),
    // and azurerm v4.80.0 kubernetes_cluster_resource.go sends the configured one again: a downgrade, which AKS refuses.
    [InlineData("azure.kubernetes", "{\"version\": \"1.35\", \"autoUpgradeChannel\": \"stable\"}", "platform.azure.kubernetes.version", "Remove version")]
    [InlineData("azure.kubernetes.version", "\"1.35.2\"", "platform.azure.kubernetes.version", "is an exact patch")]
    // Maintenance windows: azurerm v4.80.0 takes a weekday, HH:mm and 4-24 hours.
    [InlineData("azure.kubernetes.maintenance.autoUpgrade.day", "\"sunday\"", "platform.azure.kubernetes.maintenance.autoUpgrade.day", "is not a day of the week")]
    [InlineData("azure.kubernetes.maintenance.nodeOs.start", "\"1am\"", "platform.azure.kubernetes.maintenance.nodeOs.start", "HH:mm")]
    [InlineData("azure.kubernetes.maintenance.nodeOs.hours", "3", "platform.azure.kubernetes.maintenance.nodeOs.hours", "outside 4-24")]
    [InlineData("azure.kubernetes.maintenance.weekly", "true", "platform.azure.kubernetes.maintenance.weekly", "is not a known key")]
    // Node pools.
    [InlineData("azure.kubernetes.userPool.vmSize", "\"D4ds_v5\"", "platform.azure.kubernetes.userPool.vmSize", "is not an Azure VM size")]
    [InlineData("azure.kubernetes.systemPool.vmSize", "\"standard_d4ds_v5\"", "platform.azure.kubernetes.systemPool.vmSize", "is not an Azure VM size")]
    [InlineData("azure.kubernetes.systemPool.minCount", "1", "platform.azure.kubernetes.systemPool.minCount", "outside 2-100")]
    [InlineData("azure.kubernetes.userPool", "{\"minCount\": 5, \"maxCount\": 4}", "platform.azure.kubernetes.userPool.maxCount", "below minCount 5")]
    // Backups: Azure keeps soft-deleted blobs for at most 365 days; the retired WORM setting names its successor.
    [InlineData("azure.backupDeleteRetentionDays", "366", "platform.azure.backupDeleteRetentionDays", "outside 1-365")]
    [InlineData("azure.backupImmutabilityDays", "35", "platform.azure.backupImmutabilityDays", "Rename it to backupDeleteRetentionDays")]
    // The address plan.
    [InlineData("azure.network.virtualNetwork", "\"10.240.0.1/16\"", "platform.azure.network.virtualNetwork", "is not an IPv4 network")]
    [InlineData("azure.network.podCidr", "\"fd00::/48\"", "platform.azure.network.podCidr", "is not an IPv4 network")]
    [InlineData("azure.network.clusterSubnet", "\"10.241.0.0/20\"", "platform.azure.network.clusterSubnet", "is not inside the virtual network")]
    [InlineData("azure.network.postgresSubnet", "\"10.240.8.0/24\"", "platform.azure.network.postgresSubnet", "overlaps the cluster subnet")]
    [InlineData("azure.network.postgresSubnet", "\"10.240.16.0/29\"", "platform.azure.network.postgresSubnet", "Azure's minimum")]
    [InlineData("azure.network.clusterSubnet", "\"10.240.0.0/26\"", "platform.azure.network.clusterSubnet", "smaller than a /24")]
    [InlineData("azure.network.serviceCidr", "\"10.240.128.0/20\"", "platform.azure.network.serviceCidr", "overlaps the virtual network")]
    [InlineData("azure.network.podCidr", "\"10.0.0.0/8\"", "platform.azure.network.podCidr", "overlaps the virtual network")]
    [InlineData("azure.network.podCidr", "\"10.0.128.0/17\"", "platform.azure.network.podCidr", "overlaps the service range")]
    [InlineData("azure.network.dnsServiceIp", "\"10.1.0.10\"", "platform.azure.network.dnsServiceIp", "is not inside the service range")]
    [InlineData("azure.network.dnsServiceIp", "\"10.0.0.1\"", "platform.azure.network.dnsServiceIp", "kubernetes service's address")]
    [InlineData("azure.network.dnsServiceIp", "\"10.0.0\"", "platform.azure.network.dnsServiceIp", "is not an IPv4 address")]
    // Cluster access: Entra ID only, a named operator group (an object ID), authorized ranges as AKS takes them.
    [InlineData("azure.operatorGroupObjectId", null, "platform.azure.operatorGroupObjectId", "az ad group show")]
    [InlineData("azure.operatorGroupObjectId", "\"os2borgerpc-operators\"", "platform.azure.operatorGroupObjectId", "is not an object ID")]
    [InlineData("azure.kubernetes.localAccounts", "true", "platform.azure.kubernetes.localAccounts", "Remove localAccounts")]
    [InlineData("azure.kubernetes.apiServerAuthorizedRanges", "[\"203.0.113.7\"]", "platform.azure.kubernetes.apiServerAuthorizedRanges", "is not an IPv4 range")]
    [InlineData("azure.kubernetes.apiServerAuthorizedRanges", "\"203.0.113.0/24\"", "platform.azure.kubernetes.apiServerAuthorizedRanges", "must be a list")]
    public void Azure_platform_rule(string path, string? json, string key, string says) =>
        PlatformStackFile.Azure().Set(path, json).Load().ShouldReport($"os2borgerpc-platform:{key}", says);

    [Theory]
    [InlineData("cluster.context", null, "platform.cluster.context", "is missing")]
    [InlineData("cluster.storage.shared", "{}", "platform.cluster.storage.shared.provisioner", "ReadWriteMany")]
    [InlineData("cluster.storage.data.provisioner", "\"Rook Ceph\"", "platform.cluster.storage.data.provisioner", "is not a CSI driver name")]
    [InlineData("cluster.storage.shared.parameters", "{\"fsName\": {\"a\": 1}}", "platform.cluster.storage.shared.parameters.fsName", "must be text")]
    [InlineData("cluster.backup.endpoint", "\"http://s3.example.dk\"", "platform.cluster.backup.endpoint", "is not an https endpoint")]
    [InlineData("cluster.backup.bucket", "\"Backups\"", "platform.cluster.backup.bucket", "is not an S3 bucket name")]
    [InlineData("cluster.backup.accessKey", "\"AKIA...\"", "platform.cluster.backup.accessKey", "is not a known key")]
    [InlineData("cluster.backup.secretKey", "\"x\"", "platform.cluster.backup.secretKey", "looks like a secret in plain config")]
    [InlineData("azure", "{}", "platform.azure", "is set, but flavour is cluster")]
    [InlineData("cluster.apiServer", null, "platform.cluster.apiServer", "is missing: the database pods' NetworkPolicy cannot admit the API server")]
    [InlineData("cluster.apiServer.cidrs", null, "platform.cluster.apiServer.cidrs", "is missing")]
    [InlineData("cluster.apiServer.cidrs", "[]", "platform.cluster.apiServer.cidrs", "is empty")]
    [InlineData("cluster.apiServer.cidrs", "[\"10.20.0.10\"]", "platform.cluster.apiServer.cidrs", "is not an address range")]
    [InlineData("cluster.apiServer.cidrs", "[\"10.20.0.10/16\"]", "platform.cluster.apiServer.cidrs", "is not an address range")]
    [InlineData("cluster.apiServer.cidrs", "[\"0.0.0.0/0\"]", "platform.cluster.apiServer.cidrs", "wider than an API server's endpoints")]
    [InlineData("cluster.apiServer.cidrs", "[\"10.0.0.0/8\"]", "platform.cluster.apiServer.cidrs", "could admit other tenants' pods")]
    [InlineData("cluster.apiServer.port", null, "platform.cluster.apiServer.port", "is missing")]
    [InlineData("cluster.apiServer.port", "0", "platform.cluster.apiServer.port", "outside 1-65535")]
    [InlineData("cluster.backup.addresses", "[\"10.0.0.0/8\"]", "platform.cluster.backup.addresses", "wider than a store's endpoints")]
    [InlineData("cluster.backup.addresses", "\"10.30.0.5/32\"", "platform.cluster.backup.addresses", "must be a list")]
    [InlineData("cluster.apiServer.host", "\"api.example\"", "platform.cluster.apiServer.host", "is not a known key")]
    // Prometheus: optional; where stated, a namespace and a selector that picks its pods, never an empty one.
    [InlineData("cluster.prometheus", "{\"namespace\": \"monitoring\"}", "platform.cluster.prometheus.podLabels", "is missing")]
    [InlineData("cluster.prometheus", "{\"namespace\": \"monitoring\", \"podLabels\": {}}", "platform.cluster.prometheus.podLabels", "an empty selector would admit every pod")]
    [InlineData("cluster.prometheus", "{\"namespace\": \"monitoring\", \"podLabels\": {\"app\": \"-bad-\"}}", "platform.cluster.prometheus.podLabels", "one or more Kubernetes labels")]
    [InlineData("cluster.prometheus", "{\"namespace\": \"Monitoring\", \"podLabels\": {\"app\": \"prometheus\"}}", "platform.cluster.prometheus.namespace", "is not a Kubernetes namespace name")]
    [InlineData("cluster.prometheus", "{\"podLabels\": {\"app\": \"prometheus\"}}", "platform.cluster.prometheus.namespace", "is missing")]
    public void Cluster_platform_rule(string path, string? json, string key, string says) =>
        PlatformStackFile.Cluster().Set(path, json).Load().ShouldReport($"os2borgerpc-platform:{key}", says);

    [Fact]
    public void A_stack_file_without_a_platform_is_named_with_the_fix()
    {
        var result = PlatformStackFile.Load("config: {}");

        result.ShouldReport("os2borgerpc-platform:platform", "platform new");
    }

    [Fact]
    public void A_missing_platform_stack_file_names_the_command_that_makes_one()
    {
        var (config, problem) = Workspace.ReadStack("nowhere");

        config.ShouldBeNull();
        problem!.File.ShouldBe("stacks/platform/Pulumi.nowhere.yaml");
        problem.Fix.ShouldContain("platform new nowhere");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var result = PlatformStackFile.Azure()
            .Set("issuerEmail", "\"drift\"")
            .Set("azure.network.podCidr", "\"10.240.0.0/16\"")
            .Set("azure.kubernetes.version", "\"1.20\"")
            .Load();

        result.Problems.Select(p => p.Key).ShouldBe([
            "os2borgerpc-platform:platform.issuerEmail",
            "os2borgerpc-platform:platform.azure.network.podCidr",
            "os2borgerpc-platform:platform.azure.kubernetes.version",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Authorized_ranges_admit_the_clusters_own_egress_and_no_ranges_stay_unrestricted()
    {
        var azure = PlatformStackFile.Azure().Set("azure.kubernetes.apiServerAuthorizedRanges", "[\"203.0.113.0/24\"]").Load().ShouldBeValid().Azure!;

        azure.Aks.ApiServerAuthorizedRanges.ShouldBe(["203.0.113.0/24"]);
        ClusterAccess.AuthorizedRanges(azure.Aks.ApiServerAuthorizedRanges, ["20.50.1.10"]).ShouldBe(["203.0.113.0/24", "20.50.1.10/32"]);
        ClusterAccess.AuthorizedRanges([], ["20.50.1.10"]).ShouldBeEmpty();
    }
}
