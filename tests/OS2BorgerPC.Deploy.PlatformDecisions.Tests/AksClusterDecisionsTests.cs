using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformDecisions.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>The cluster's egress, its room for nodes, and how it is kept up to date.</summary>
public sealed class AksClusterDecisionsTests
{
    [Fact]
    public void The_standard_nat_gateway_is_pinned_to_one_zone_the_zone_of_every_database_primary()
    {
        // azurerm v4.80.0 nat_gateway_resource.go / docs/r/nat_gateway: Standard takes no zone or a single zone; StandardV2 takes none (zone-redundant).
        AksNetwork.NatGatewaySku.ShouldBe("Standard");
        AksNetwork.EgressZone.ShouldBe(AzureSettings.DatabaseZone);
    }

    [Theory]
    // Overlay: each node takes a /24 of the pod range, so a /16 holds 256 nodes; 200 + 66 surge + 3 + 1 system = 270.
    [InlineData("""{"maxCount": 200}""", "podCidr", "holds 256 nodes")]
    [InlineData("""{"maxCount": 150}""", null, null)]
    public void The_pod_range_holds_a_24_for_every_node_the_pools_can_reach(string userPool, string? key, string? says)
    {
        var result = PlatformStackFile.Azure().Set("azure.kubernetes.userPool", userPool).Load();

        if (key is null)
        {
            result.ShouldBeValid();
        }
        else
        {
            result.ShouldReport($"os2borgerpc-platform:platform.azure.network.{key}", says!);
        }
    }

    [Fact]
    public void A_cluster_subnet_too_small_for_the_pools_at_their_peak_is_named_with_the_fix()
    {
        // A /24 keeps 251 addresses after Azure's five; 3 + 1 system and 190 + 63 tenant nodes need 257.
        var result = PlatformStackFile.Azure()
            .Set("azure.network.clusterSubnet", "\"10.240.0.0/24\"")
            .Set("azure.network.podCidr", "\"100.64.0.0/12\"")
            .Set("azure.kubernetes.userPool", """{"maxCount": 190}""")
            .Load();

        result.ShouldReport("os2borgerpc-platform:platform.azure.network.clusterSubnet", "holds 251 node addresses, but the pools can reach 257 nodes");
        result.Problems.Single().Fix.ShouldContain("lower the pools' maxCount");
    }

    [Fact]
    public void The_stable_channel_runs_without_a_version_so_nothing_pulls_the_cluster_back()
    {
        var aks = PlatformStackFile.Azure().Set("azure.kubernetes.autoUpgradeChannel", "\"stable\"").Load().ShouldBeValid().Azure!.Aks;

        aks.AutoUpgradeChannel.ShouldBe("stable");
        aks.KubernetesVersion.ShouldBeNull();
    }

    [Fact]
    public void The_default_windows_are_weekly_at_night_four_hours_apart_from_each_other()
    {
        var aks = PlatformStackFile.Azure().Load().ShouldBeValid().Azure!.Aks;

        aks.AutoUpgradeWindow.ShouldBe(new MaintenanceWindow(DayOfWeek.Sunday, new TimeOnly(1, 0), 4));
        aks.NodeOsWindow.ShouldBe(new MaintenanceWindow(DayOfWeek.Saturday, new TimeOnly(1, 0), 4));
        AksMaintenance.StartTime(aks.AutoUpgradeWindow).ShouldBe("01:00");
        AksMaintenance.UtcOffset.ShouldBe("+01:00");
    }

    [Theory]
    [InlineData("westeurope", "aks-os2borgerpc-prod", "MSCI-westeurope-aks-os2borgerpc-prod")]
    [InlineData("germanywestcentral", "aks-a-very-long-fleet-identifier-and-a-long-stack-name", "MSCI-germanywestcentral-aks-a-very-long-fleet-identifier-and-a-l")]
    public void The_container_insights_rule_is_named_as_azure_names_it_within_64_characters(string location, string cluster, string expected)
    {
        var name = ContainerInsights.RuleName(location, cluster);

        name.ShouldBe(expected);
        name.Length.ShouldBeLessThanOrEqualTo(64);
    }
}
