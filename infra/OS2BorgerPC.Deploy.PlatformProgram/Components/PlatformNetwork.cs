using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Pulumi;
using Pulumi.Azure.Core;
using Pulumi.Azure.Network;
using Pulumi.Azure.Network.Inputs;
using Pulumi.Azure.PrivateDns;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>
/// The platform's network: the VNet with the AKS subnet and the subnet delegated to PostgreSQL flexible servers,
/// the private DNS zone the servers register in (linked to the VNet), and a NAT gateway with static public
/// addresses as the cluster's only way out.
/// </summary>
public sealed class PlatformNetwork : ComponentResource
{
    public PlatformNetwork(PlatformSettings platform, PlatformGroup group, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:AzureNetwork", platform.Name, options)
    {
        var azure = platform.Azure!;
        var names = platform.Names;
        var child = new CustomResourceOptions { Parent = this };
        // The VNet and its subnets hold every node and every managed server: replacing them is an outage.
        var vnet = new VirtualNetwork("vnet", new VirtualNetworkArgs
        {
            Name = names.VirtualNetwork,
            ResourceGroupName = group.Name,
            Location = azure.Location,
            AddressSpaces = { azure.Network.VirtualNetwork.ToString() },
            Tags = AzureTags.For(names),
        }, Protection.Options(this));
        var clusterSubnet = new Subnet("cluster-subnet", new SubnetArgs
        {
            Name = names.ClusterSubnet,
            ResourceGroupName = group.Name,
            VirtualNetworkName = vnet.Name,
            AddressPrefixes = { azure.Network.ClusterSubnet.ToString() },
            // Tenants' storage accounts admit this subnet by a network rule, which needs the endpoint.
            ServiceEndpoints = { OS2BorgerPC.Deploy.TenantDecisions.Security.StorageNetwork.ServiceEndpoint },
        }, Protection.Options(this));
        var postgresSubnet = new Subnet("postgres-subnet", new SubnetArgs
        {
            Name = names.PostgresSubnet,
            ResourceGroupName = group.Name,
            VirtualNetworkName = vnet.Name,
            AddressPrefixes = { azure.Network.PostgresSubnet.ToString() },
            Delegations =
            {
                new SubnetDelegationArgs
                {
                    Name = "postgres-flexible-servers",
                    ServiceDelegation = new SubnetDelegationServiceDelegationArgs
                    {
                        Name = AksNetwork.PostgresDelegation,
                        Actions = { "Microsoft.Network/virtualNetworks/subnets/join/action" },
                    },
                },
            },
        }, Protection.Options(this));

        var zone = new Zone("postgres-dns", new ZoneArgs { Name = AksNetwork.PostgresPrivateDnsZone, ResourceGroupName = group.Name, Tags = AzureTags.For(names) },
            Protection.Options(this));
        new ZoneVirtualNetworkLink("postgres-dns-link", new ZoneVirtualNetworkLinkArgs
        {
            Name = names.VirtualNetwork,
            ResourceGroupName = group.Name,
            PrivateDnsZoneName = zone.Name,
            VirtualNetworkId = vnet.Id,
            RegistrationEnabled = false,
        }, child);

        var nat = new NatGateway("nat", new NatGatewayArgs
        {
            Name = names.NatGateway,
            ResourceGroupName = group.Name,
            Location = azure.Location,
            // Standard is zonal: pinned with its addresses to one known zone (AksNetwork.NatGatewaySku states the availability).
            SkuName = AksNetwork.NatGatewaySku,
            Zones = { AksNetwork.EgressZone },
            IdleTimeoutInMinutes = 4,
            Tags = AzureTags.For(names),
        }, child);
        var associations = new List<Resource>();
        var addresses = Enumerable.Range(1, azure.EgressIpCount).Select(i =>
        {
            // Municipalities and managed servers allow-list these addresses: keep them through any change.
            var ip = new PublicIp($"egress-{i}", new PublicIpArgs
            {
                Name = $"{names.NatGateway}-{i}",
                ResourceGroupName = group.Name,
                Location = azure.Location,
                AllocationMethod = "Static",
                Sku = "Standard",
                Zones = { AksNetwork.EgressZone },
                Tags = AzureTags.For(names),
            }, Protection.Options(this));
            associations.Add(new NatGatewayPublicIpAssociation($"egress-{i}", new NatGatewayPublicIpAssociationArgs { NatGatewayId = nat.Id, PublicIpAddressId = ip.Id }, child));
            return ip.IpAddress;
        }).ToList();
        associations.Add(new SubnetNatGatewayAssociation("cluster-egress", new SubnetNatGatewayAssociationArgs { SubnetId = clusterSubnet.Id, NatGatewayId = nat.Id }, child));
        EgressAssociations = associations;

        VirtualNetworkId = vnet.Id;
        ClusterSubnetId = clusterSubnet.Id;
        PostgresSubnetId = postgresSubnet.Id;
        PostgresDnsZoneId = zone.Id;
        EgressIps = Output.All(addresses);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["clusterSubnetId"] = ClusterSubnetId,
            ["postgresSubnetId"] = PostgresSubnetId,
            ["egressIps"] = EgressIps,
        });
    }

    /// <summary>
    /// The NAT gateway's subnet and public-address associations: the cluster waits for them, or its first nodes boot in a
    /// subnet with no way out (Azure/terraform-azurerm-avm-res-containerservice-managedcluster PR #292 fixed the same race).
    /// </summary>
    public IReadOnlyList<Resource> EgressAssociations { get; }

    public Output<string> VirtualNetworkId { get; }
    public Output<string> ClusterSubnetId { get; }
    public Output<string> PostgresSubnetId { get; }
    public Output<string> PostgresDnsZoneId { get; }
    public Output<System.Collections.Immutable.ImmutableArray<string>> EgressIps { get; }
}
