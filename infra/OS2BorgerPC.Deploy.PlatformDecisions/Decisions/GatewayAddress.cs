using System.Collections.Immutable;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>
/// The shared Gateway's public address on azure: a static Standard public IP in the platform's resource group (not the
/// node resource group, whose resources AKS owns and deletes with the Service), zone-redundant, protected and locked,
/// so the fleet's address survives the Service, the load balancer and the cluster. The Service names it by the AKS
/// annotations, and the fleet zone's wildcard record is an alias of it: every tenant host in the base domain resolves
/// to the Gateway without a step by hand, and a new tenant needs no DNS change. A host outside the base domain (a
/// certificate of the tenant's own) is the municipality's DNS to set.
/// </summary>
/// <param name="PublicIpName">The public IP's name in <see cref="ResourceGroup"/>.</param>
/// <param name="Zones">Zone-redundant: inbound traffic survives a zone (unlike the zonal NAT gateway's egress, <see cref="AksNetwork"/>).</param>
/// <param name="ServiceAnnotations">What the Gateway's Service carries (EnvoyProxy envoyService.annotations).</param>
/// <param name="RecordName">The record set in the fleet zone (the base domain) that points at the address.</param>
public sealed record GatewayAddress(
    string PublicIpName,
    string ResourceGroup,
    ImmutableArray<string> Zones,
    ImmutableDictionary<string, string> ServiceAnnotations,
    string RecordName)
{
    /// <summary>The resource group of the public IP, where it is not the node resource group (AKS "Use a static public IP address").</summary>
    public const string ResourceGroupAnnotation = "service.beta.kubernetes.io/azure-load-balancer-resource-group";

    /// <summary>The public IP by name (AKS; preferred over the Service's deprecated spec.loadBalancerIP).</summary>
    public const string PublicIpNameAnnotation = "service.beta.kubernetes.io/azure-pip-name";

    /// <summary>The role the cluster's identity needs on the public IP to put it on its load balancer.</summary>
    public const string ClusterRole = "Network Contributor";

    /// <summary>
    /// What the cluster's identity needs on the public IP's resource group: the AKS cloud provider finds a public IP named by
    /// azure-pip-name by listing the group's public IPs (kubernetes-sigs/cloud-provider-azure v1.35.8
    /// pkg/provider/azure_publicip_repo.go L112-126: getPublicIPAddress and findMatchedPIP read the pipCache, whose getter
    /// is PublicIPAddressClient.List(resourceGroup)), and then also GETs the one address (azure_loadbalancer.go L1401,
    /// ensurePublicIPExists), so a role on the address alone leaves the Service without it. Read only (list and get),
    /// instead of Network Contributor on the group, which holds the network, the NAT gateway and the fleet's DNS zone.
    /// </summary>
    public static readonly AzureRoleDefinition GroupPublicIpReader = new(
        CiIdentities.PublicIpReaderRole,
        "Lists and reads the public IPs of the platform's resource group, as the AKS cloud provider finds a named address; changes nothing.",
        ["Microsoft.Network/publicIPAddresses/read"], [], []);

    /// <summary>The address of an azure platform; none for the cluster flavour, whose operator provides the address and DNS.</summary>
    public static GatewayAddress? For(PlatformSettings platform) => platform.Azure is null
        ? null
        : new(platform.Names.GatewayPublicIp, platform.Names.ResourceGroup, ["1", "2", "3"],
            ImmutableDictionary<string, string>.Empty
                .Add(ResourceGroupAnnotation, platform.Names.ResourceGroup)
                .Add(PublicIpNameAnnotation, platform.Names.GatewayPublicIp),
            "*");
}
