using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Pulumi;
using Pulumi.Azure.Authorization;
using Pulumi.Azure.Dns;
using Pulumi.Azure.Network;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>
/// The shared Gateway's static public IP in the platform's resource group (<see cref="GatewayAddress"/>): protected and
/// locked against deletion, the cluster's identity allowed to put it on its load balancer, and the fleet zone's
/// wildcard record an alias of it (the record follows the resource, never a copied address).
/// </summary>
public sealed class GatewayPublicIp : ComponentResource
{
    /// <param name="groupPublicIpReader">The resource ID of <see cref="GatewayAddress.GroupPublicIpReader"/>, which the foundation defines.</param>
    public GatewayPublicIp(PlatformSettings platform, GatewayAddress address, PlatformGroup group, AksCluster cluster, FleetDnsZone dns,
        string groupPublicIpReader, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:GatewayPublicIp", platform.Name, options)
    {
        var child = new CustomResourceOptions { Parent = this };
        // Every tenant's DNS and every municipality's firewall rule point here: keep it through any change. Its tags are
        // the kit's alone: the AKS cloud provider tags only public IPs it made itself (no k8s-azure-service tag marks this
        // one as the user's; cloud-provider-azure v1.35.8 azure_loadbalancer.go ensurePublicIPExists, serviceOwnsPublicIP).
        var ip = new PublicIp("gateway", new PublicIpArgs
        {
            Name = address.PublicIpName,
            ResourceGroupName = group.Name,
            Location = platform.Azure!.Location,
            AllocationMethod = "Static",
            Sku = "Standard",
            Zones = address.Zones,
            Tags = AzureTags.For(platform.Names),
        }, Protection.Options(this));
        SecureStorage.DeleteLock("gateway-ip-lock", ip.Id, "Every tenant's admin site is reached at this address.", this);
        // Writing on the address only, not its group: the group holds the network, the NAT gateway and the fleet's DNS zone.
        var access = new Assignment("cluster-gateway-ip", new AssignmentArgs
        {
            Scope = ip.Id,
            RoleDefinitionName = GatewayAddress.ClusterRole,
            PrincipalId = cluster.ControlPlanePrincipalId,
            PrincipalType = "ServicePrincipal",
        }, child);
        // The cloud provider finds the address by listing the group's public IPs (GatewayAddress.GroupPublicIpReader); the
        // foundation defines that role (an operator: no CI identity writes role definitions), assignable in this group only.
        var listing = new Assignment("cluster-gateway-ip-lookup", new AssignmentArgs
        {
            Scope = group.Id,
            RoleDefinitionId = groupPublicIpReader,
            PrincipalId = cluster.ControlPlanePrincipalId,
            PrincipalType = "ServicePrincipal",
        }, child);
        new ARecord("tenants", new ARecordArgs
        {
            Name = address.RecordName,
            ZoneName = platform.BaseDomain,
            ResourceGroupName = dns.ZoneResourceGroup,
            Ttl = 300,
            TargetResourceId = ip.Id,
            Tags = AzureTags.For(platform.Names),
        }, new CustomResourceOptions { Parent = this, DependsOn = { dns } });

        IpAddress = ip.IpAddress;
        Ready = [access, listing];
        RegisterOutputs(new Dictionary<string, object?> { ["ipAddress"] = IpAddress });
    }

    /// <summary>The address every tenant host in the base domain resolves to.</summary>
    public Output<string> IpAddress { get; }

    /// <summary>The cluster may find and use the address once these exist: the Gateway's Service waits for them.</summary>
    public IReadOnlyList<Resource> Ready { get; }

}
