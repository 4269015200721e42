using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Pulumi;
using Pulumi.Azure.Authorization;
using Pulumi.Azure.Core;
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
    public GatewayPublicIp(PlatformSettings platform, GatewayAddress address, ResourceGroup group, AksCluster cluster, FleetDnsZone dns, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:GatewayPublicIp", platform.Name, options)
    {
        var child = new CustomResourceOptions { Parent = this };
        // Every tenant's DNS and every municipality's firewall rule point here: keep it through any change.
        // The AKS cloud provider tags a public IP a Service uses (k8s-azure-service, k8s-azure-cluster-name): without this,
        // every up would remove them and the controller add them back. Not read in cloud-provider-azure's source here; it is
        // how AKS users' Terraform keeps such addresses (ignore_changes on those tags).
        var ipOptions = Protection.Options(this);
        ipOptions.IgnoreChanges = ["tags[\"k8s-azure-service\"]", "tags[\"k8s-azure-cluster-name\"]"];
        var ip = new PublicIp("gateway", new PublicIpArgs
        {
            Name = address.PublicIpName,
            ResourceGroupName = group.Name,
            Location = platform.Azure!.Location,
            AllocationMethod = "Static",
            Sku = "Standard",
            Zones = address.Zones,
            Tags = AzureTags.For(platform.Names),
        }, ipOptions);
        SecureStorage.DeleteLock("gateway-ip-lock", ip.Id, "Every tenant's admin site is reached at this address.", this);
        // On the address only, not its group: the group holds the network, the NAT gateway and the fleet's DNS zone.
        var access = new Assignment("cluster-gateway-ip", new AssignmentArgs
        {
            Scope = ip.Id,
            RoleDefinitionName = GatewayAddress.ClusterRole,
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
        Ready = access;
        RegisterOutputs(new Dictionary<string, object?> { ["ipAddress"] = IpAddress });
    }

    /// <summary>The address every tenant host in the base domain resolves to.</summary>
    public Output<string> IpAddress { get; }

    /// <summary>The cluster may use the address once this exists: the Gateway's Service waits for it.</summary>
    public Resource Ready { get; }

}
