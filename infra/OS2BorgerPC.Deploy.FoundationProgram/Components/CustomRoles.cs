using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using CiDecisions = OS2BorgerPC.Deploy.TenantDecisions.Security.CiIdentities;
using Pulumi;
using Pulumi.Azure.Authorization;
using Pulumi.Azure.Authorization.Inputs;
using Pulumi.Azure.Core;

namespace OS2BorgerPC.Deploy.FoundationProgram.Components;

/// <summary>
/// Every custom role the kit assigns (<see cref="FoundationOutputs.RolesItDefines"/>), defined once per subscription by the
/// foundation (an operator): the CI identities' (<see cref="CiDecisions.CustomRoles"/>, assignable in the subscription) and the
/// cluster's public IP reader (<see cref="GatewayAddress.GroupPublicIpReader"/>, assignable in the platform's group only). Changing a definition takes
/// roleDefinitions/write on every one of its assignable scopes, which no CI identity holds.
/// </summary>
public sealed class CustomRoles : ComponentResource
{
    public CustomRoles(PlatformSettings platform, Output<string> subscription, ResourceGroup platformGroup, ComponentResourceOptions? options = null)
        : base("os2borgerpc:foundation:CustomRoles", platform.Name, options)
    {
        var child = new CustomResourceOptions { Parent = this };
        RoleDefinition Define(string resourceName, AzureRoleDefinition role, Input<string> assignableScope) => new(resourceName, new RoleDefinitionArgs
        {
            Name = platform.Names.CustomRole(role.Name),
            RoleDefinitionId = platform.Names.CustomRoleGuid(role.Name),
            Scope = subscription,
            Description = role.Description,
            Permissions =
            {
                new RoleDefinitionPermissionArgs { Actions = [.. role.Actions], DataActions = [.. role.DataActions], NotDataActions = [.. role.NotDataActions] },
            },
            AssignableScopes = { assignableScope },
        }, child);
        // The cloud provider's public IP reader is assignable in the platform's group only; CI's roles in the whole subscription.
        Ids = FoundationOutputs.RolesItDefines.ToDictionary(role => role.Name, role => Define(
            CiGrants.Slug(role.Name.Replace("OS2BorgerPC ", "", StringComparison.Ordinal)), role,
            role == GatewayAddress.GroupPublicIpReader ? platformGroup.Id : subscription).RoleDefinitionResourceId);
        RegisterOutputs(new Dictionary<string, object?> { ["ids"] = Output.All(Ids.Values) });
    }

    /// <summary>Each role's definition resource ID (<c>/subscriptions/&lt;id&gt;/providers/Microsoft.Authorization/roleDefinitions/&lt;guid&gt;</c>), by role name.</summary>
    public IReadOnlyDictionary<string, Output<string>> Ids { get; }
}
