using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Pulumi;
using Pulumi.Azure.Authorization;
using Pulumi.Azure.ArmMsi;
using Pulumi.Azure.Core;
using Pulumi.Azure.Dns;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>
/// The fleet's public DNS zone (the base domain; delegate it at the registrar to its name servers) and the identity
/// cert-manager signs in as for DNS-01 (workload identity: trusted for cert-manager's service account on this
/// cluster only, allowed to change this zone's records only).
/// </summary>
public sealed class FleetDnsZone : ComponentResource
{
    /// <summary>cert-manager's namespace and service account, as its chart names them.</summary>
    public const string CertManagerNamespace = "cert-manager";
    public const string CertManagerServiceAccount = "cert-manager";

    public FleetDnsZone(PlatformSettings platform, PlatformGroup group, Output<string> oidcIssuerUrl, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:FleetDnsZone", platform.Name, options)
    {
        var names = platform.Names;
        var child = new CustomResourceOptions { Parent = this };
        var zone = new Zone("fleet", new ZoneArgs { Name = platform.BaseDomain, ResourceGroupName = group.Name, Tags = AzureTags.For(names) },
            Protection.Options(this));
        var identity = new UserAssignedIdentity("cert-manager", new UserAssignedIdentityArgs
        {
            Name = names.CertManagerIdentity,
            ResourceGroupName = group.Name,
            Location = platform.Azure!.Location,
            Tags = AzureTags.For(names),
        }, child);
        new FederatedIdentityCredential("cert-manager", new FederatedIdentityCredentialArgs
        {
            Name = "cert-manager",
            ResourceGroupName = group.Name,
            ParentId = identity.Id,
            Audience = TenantDecisions.Security.CiIdentities.FederatedTokenAudience,
            Issuer = oidcIssuerUrl,
            Subject = $"system:serviceaccount:{CertManagerNamespace}:{CertManagerServiceAccount}",
        }, child);
        new Assignment("cert-manager-dns", new AssignmentArgs
        {
            Scope = zone.Id,
            RoleDefinitionName = "DNS Zone Contributor",
            PrincipalId = identity.PrincipalId,
            PrincipalType = "ServicePrincipal",
        }, child);

        ZoneId = zone.Id;
        ZoneResourceGroup = group.Name;
        NameServers = zone.NameServers;
        CertManagerClientId = identity.ClientId;
        RegisterOutputs(new Dictionary<string, object?> { ["zoneId"] = ZoneId, ["nameServers"] = NameServers });
    }

    public Output<string> ZoneId { get; }
    public Output<string> ZoneResourceGroup { get; }
    public Output<System.Collections.Immutable.ImmutableArray<string>> NameServers { get; }
    public Output<string> CertManagerClientId { get; }
}
