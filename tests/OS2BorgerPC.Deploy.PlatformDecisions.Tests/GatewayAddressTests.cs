using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Tests.Support;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>The shared Gateway's address: the platform's own on azure, the cluster operator's elsewhere.</summary>
public sealed class GatewayAddressTests
{
    /// <summary>
    /// AKS "Use a static public IP address and DNS label with the AKS load balancer" (learn.microsoft.com/azure/aks/static-ip):
    /// an address outside the node resource group is named by azure-load-balancer-resource-group and azure-pip-name.
    /// </summary>
    /// <summary>
    /// kubernetes-sigs/cloud-provider-azure v1.35.8 pkg/provider/azure_publicip_repo.go: getPublicIPAddress reads the
    /// pipCache, whose getter lists the group's public IPs (PublicIPAddressClient.List(ctx, pipResourceGroup), L112-126);
    /// azure_loadbalancer.go ensurePublicIPExists then GETs the named address (L1401). Both need publicIPAddresses/read
    /// (on the group, for the list); nothing more is granted there.
    /// </summary>
    [Fact]
    public void The_cluster_may_list_the_groups_public_ips_to_find_its_address_and_change_nothing_there()
    {
        var role = GatewayAddress.GroupPublicIpReader;

        role.Actions.ShouldBe(["Microsoft.Network/publicIPAddresses/read"]);
        role.NonReads.ShouldBeEmpty();
        (role.DataActions, role.NotDataActions).ShouldBe(([], []));
    }

    [Fact]
    public void An_azure_platform_names_its_own_zone_redundant_address_to_the_service_and_points_the_whole_base_domain_at_it()
    {
        var platform = PlatformStackFile.Azure().Load().ShouldBeValid();

        var address = GatewayAddress.For(platform).ShouldNotBeNull();

        (address.PublicIpName, address.ResourceGroup).ShouldBe(("pip-os2borgerpc-test-gateway", platform.Names.ResourceGroup));
        address.Zones.ShouldBe(["1", "2", "3"]);
        address.ServiceAnnotations.ShouldBe(new Dictionary<string, string>
        {
            ["service.beta.kubernetes.io/azure-load-balancer-resource-group"] = platform.Names.ResourceGroup,
            ["service.beta.kubernetes.io/azure-pip-name"] = "pip-os2borgerpc-test-gateway",
        }, ignoreOrder: true);
        address.RecordName.ShouldBe("*", "one wildcard: every tenant in the base domain, a new one without a DNS change");
    }

    [Fact]
    public void A_cluster_platforms_address_and_dns_are_its_operators() =>
        GatewayAddress.For(PlatformStackFile.Cluster().Load().ShouldBeValid()).ShouldBeNull();
}
