using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using CiDecisions = OS2BorgerPC.Deploy.TenantDecisions.Security.CiIdentities;
using Pulumi;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>
/// The CI identities' grants inside the platform's resource group (<see cref="CiDecisions.MadeBy"/>): on the cluster, the tenant
/// namespaces and the platform's subnets and zone, which this program makes. The identities, their custom roles and every other
/// grant are the foundation's; this names them by the IDs it exports.
/// </summary>
public sealed class CiPlatformGrants : ComponentResource
{
    /// <param name="tenantNamespaces">The namespaces of the tenants on this platform: where the namespace-scoped grants go.</param>
    public CiPlatformGrants(PlatformSettings platform, FoundationOutputs foundation, PlatformNetwork network, Output<string> clusterId,
        IReadOnlyList<string> tenantNamespaces, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:CiPlatformGrants", platform.Name, options)
    {
        CiGrants.Assign(CiDecisions.PlatformProject, new Dictionary<RoleScope, IReadOnlyList<(string, Output<string>)>>
        {
            [RoleScope.Cluster] = [("", clusterId)],
            [RoleScope.TenantNamespaces] = [.. tenantNamespaces.Select(ns => ($"-{ns}", clusterId.Apply(id => $"{id}/namespaces/{ns}")))],
            [RoleScope.PlatformNetwork] =
                [("-cluster-subnet", network.ClusterSubnetId), ("-postgres-subnet", network.PostgresSubnetId), ("-postgres-zone", network.PostgresDnsZoneId)],
        }, environment => foundation.CiPrincipalIds[environment], role => foundation.RoleDefinitionIds[role], platform.Names.CustomRoleGuid,
            new CustomResourceOptions { Parent = this });
        RegisterOutputs();
    }
}
