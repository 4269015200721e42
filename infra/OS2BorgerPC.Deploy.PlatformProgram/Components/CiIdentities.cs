using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using CiDecisions = OS2BorgerPC.Deploy.TenantDecisions.Security.CiIdentities;
using Pulumi;
using Pulumi.Azure.ArmMsi;
using Pulumi.Azure.Authorization;
using Pulumi.Azure.Authorization.Inputs;
using Pulumi.Azure.Core;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>
/// The identities GitHub Actions signs in as (<see cref="CiDecisions"/>): one user-assigned identity per GitHub
/// environment, trusted only for that environment's jobs (federated credential, no secret), holding exactly its
/// roles (the cluster's included: Azure RBAC for Kubernetes, per tenant namespace where it can be); and the custom roles
/// those grants name, defined once per subscription.
/// </summary>
public sealed class CiIdentities : ComponentResource
{
    /// <param name="tenantNamespaces">The namespaces of the tenants on this platform: where the namespace-scoped grants go.</param>
    /// <param name="tenantGroups">The tenants' resource groups the platform made: where the tenants' deploying identity writes in Azure.</param>
    public CiIdentities(PlatformSettings platform, ResourceGroup group, Output<GetClientConfigResult> client, StateBackend state,
        BackupStorage backup, PlatformNetwork network, Output<string> clusterId, IReadOnlyList<string> tenantNamespaces,
        TenantResourceGroups tenantGroups, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:CiIdentities", platform.Name, options)
    {
        if (CiDecisions.Problems(CiDecisions.All) is { Count: > 0 } problems)
        {
            throw new RunException(Problem.Refusal("The CI identities' roles", problems));
        }
        var azure = platform.Azure!;
        var names = platform.Names;
        var child = new CustomResourceOptions { Parent = this };
        var subscription = client.Apply(c => $"/subscriptions/{c.SubscriptionId}");
        var customRoles = CiDecisions.CustomRoles.ToDictionary(role => role.Name, role => new RoleDefinition(
            Slug(role.Name.Replace("OS2BorgerPC ", "", StringComparison.Ordinal)), new RoleDefinitionArgs
            {
                Name = $"{role.Name} ({names.Cluster})",
                Scope = subscription,
                Description = role.Description,
                Permissions =
                {
                    new RoleDefinitionPermissionArgs { Actions = [.. role.Actions], DataActions = [.. role.DataActions], NotDataActions = [.. role.NotDataActions] },
                },
                AssignableScopes = { subscription },
            }, child));

        var clientIds = new Dictionary<string, Output<string>>();
        foreach (var ci in CiDecisions.All)
        {
            var identity = new UserAssignedIdentity($"ci-{ci.Environment}", new UserAssignedIdentityArgs
            {
                Name = ci.Environment switch
                {
                    CiDecisions.PreviewEnvironment => names.PreviewIdentity,
                    CiDecisions.ProductionEnvironment => names.DeployIdentity,
                    _ => names.PlatformIdentity,
                },
                ResourceGroupName = group.Name,
                Location = azure.Location,
                Tags = AzureTags.For(names),
            }, child);
            new FederatedIdentityCredential($"ci-{ci.Environment}", new FederatedIdentityCredentialArgs
            {
                Name = $"github-{ci.Environment}",
                ResourceGroupName = group.Name,
                ParentId = identity.Id,
                Audience = CiDecisions.FederatedTokenAudience,
                Issuer = CiDecisions.GitHubIssuer,
                Subject = CiDecisions.Subject(azure.GitHubRepository, ci.Environment),
            }, child);
            foreach (var grant in ci.AzureRoles)
            {
                IReadOnlyList<(string Suffix, Output<string> Scope)> scopes = grant.Scope switch
                {
                    RoleScope.Subscription => [("", subscription)],
                    RoleScope.StateContainer => [("", state.ContainerId)],
                    RoleScope.StateAccount => [("-state-account", state.AccountId)],
                    RoleScope.StateKey => [("", state.KeyId)],
                    RoleScope.BackupAccount => [("", backup.AccountId)],
                    RoleScope.Cluster => [("", clusterId)],
                    RoleScope.TenantNamespaces => [.. tenantNamespaces.Select(ns => ($"-{ns}", clusterId.Apply(id => $"{id}/namespaces/{ns}")))],
                    RoleScope.TenantResourceGroups => [.. tenantGroups.Ids.Select(g => ($"-rg-{g.Key}", g.Value))],
                    RoleScope.PlatformNetwork =>
                        [("-cluster-subnet", network.ClusterSubnetId), ("-postgres-subnet", network.PostgresSubnetId), ("-postgres-zone", network.PostgresDnsZoneId)],
                    _ => throw new System.Diagnostics.UnreachableException($"{grant.Scope}"),
                };
                foreach (var (suffix, scope) in scopes)
                {
                    Assign($"ci-{ci.Environment}-{Slug(grant.Role)}{suffix}", grant, scope, identity.PrincipalId, customRoles.GetValueOrDefault(grant.Role), child);
                }
            }
            clientIds[ci.Environment] = identity.ClientId;
        }
        ClientIds = clientIds;
        RegisterOutputs(new Dictionary<string, object?> { ["clientIds"] = Output.All(clientIds.Values) });
    }

    /// <summary>AZURE_CLIENT_ID of each GitHub environment (<see cref="CiDecisions.All"/>).</summary>
    public IReadOnlyDictionary<string, Output<string>> ClientIds { get; }

    private static void Assign(string name, RoleGrant grant, Output<string> scope, Output<string> principal, RoleDefinition? custom, CustomResourceOptions options)
    {
        var args = new AssignmentArgs
        {
            Scope = scope,
            PrincipalId = principal,
            PrincipalType = "ServicePrincipal",
            Description = grant.Why,
        };
        if (grant.Condition is { } condition)
        {
            args.Condition = condition;
            args.ConditionVersion = "2.0";
        }
        if (custom is not null)
        {
            args.RoleDefinitionId = custom.RoleDefinitionResourceId;
        }
        else
        {
            args.RoleDefinitionName = grant.Role;
        }
        // A privileged grant is the operators' to change (CiDecisions.IsOperatorOnly): a reworded reason must not make CI replace it.
        new Assignment(name, args, CiDecisions.IsOperatorOnly(grant) ? CustomResourceOptions.Merge(options, new CustomResourceOptions { IgnoreChanges = ["description"] }) : options);
    }

    private static string Slug(string role) => new(role.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
