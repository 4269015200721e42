using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using CiDecisions = OS2BorgerPC.Deploy.TenantDecisions.Security.CiIdentities;
using Pulumi;
using Pulumi.Azure.ArmMsi;
using Pulumi.Azure.Authorization;
using Pulumi.Azure.Core;

namespace OS2BorgerPC.Deploy.FoundationProgram.Components;

/// <summary>
/// The identities GitHub Actions signs in as (<see cref="CiDecisions"/>): one user-assigned identity per GitHub environment,
/// trusted only for that environment's jobs (federated credential, no secret), in the foundation's group, where no CI identity
/// writes (so none can add a credential to another); and every grant of theirs outside the platform's resource group
/// (<see cref="CiDecisions.MadeBy"/>). The platform program makes the grants inside it, naming <see cref="PrincipalIds"/>.
/// </summary>
public sealed class CiIdentities : ComponentResource
{
    public CiIdentities(PlatformSettings platform, ResourceGroup foundationGroup, ResourceGroup platformGroup, Output<string> subscription,
        StateBackend state, BackupStorage backup, TenantResourceGroups tenantGroups, CustomRoles roles, ComponentResourceOptions? options = null)
        : base("os2borgerpc:foundation:CiIdentities", platform.Name, options)
    {
        var azure = platform.Azure!;
        var names = platform.Names;
        var child = new CustomResourceOptions { Parent = this };
        var identities = CiDecisions.All.ToDictionary(ci => ci.Environment, ci =>
        {
            var identity = new UserAssignedIdentity($"ci-{ci.Environment}", new UserAssignedIdentityArgs
            {
                Name = names.CiIdentity(ci.Environment),
                ResourceGroupName = foundationGroup.Name,
                Location = azure.Location,
                Tags = AzureTags.For(names),
            }, child);
            new FederatedIdentityCredential($"ci-{ci.Environment}", new FederatedIdentityCredentialArgs
            {
                Name = $"github-{ci.Environment}",
                ResourceGroupName = foundationGroup.Name,
                ParentId = identity.Id,
                Audience = CiDecisions.FederatedTokenAudience,
                Issuer = CiDecisions.GitHubIssuer,
                Subject = CiDecisions.Subject(azure.GitHubRepository, ci.Environment),
            }, child);
            return identity;
        });
        CiGrants.Assign(CiDecisions.FoundationProject, new Dictionary<RoleScope, IReadOnlyList<(string, Output<string>)>>
        {
            [RoleScope.Subscription] = [("", subscription)],
            [RoleScope.PlatformResourceGroup] = [("-platform-group", platformGroup.Id)],
            [RoleScope.StateContainer] = [("", state.ContainerId)],
            [RoleScope.StateAccount] = [("-state-account", state.AccountId)],
            [RoleScope.StateKey] = [("", state.KeyId)],
            [RoleScope.BackupAccount] = [("", backup.AccountId)],
            [RoleScope.TenantResourceGroups] = [.. tenantGroups.Ids.Select(g => ($"-rg-{g.Key}", g.Value))],
        }, environment => identities[environment].PrincipalId, role => roles.Ids[role], names.CustomRoleGuid,
            // A condition names custom roles by their decided GUIDs, not by an output: ARM may refuse one whose role does not exist yet.
            new CustomResourceOptions { Parent = this, DependsOn = { roles } });

        ClientIds = identities.ToDictionary(p => p.Key, p => p.Value.ClientId);
        PrincipalIds = identities.ToDictionary(p => p.Key, p => p.Value.PrincipalId);
        RegisterOutputs(new Dictionary<string, object?> { ["clientIds"] = Output.All(ClientIds.Values) });
    }

    /// <summary>AZURE_CLIENT_ID of each GitHub environment (<see cref="CiDecisions.All"/>).</summary>
    public IReadOnlyDictionary<string, Output<string>> ClientIds { get; }

    /// <summary>Each identity's principal ID, by GitHub environment: whom the platform's grants name.</summary>
    public IReadOnlyDictionary<string, Output<string>> PrincipalIds { get; }
}
