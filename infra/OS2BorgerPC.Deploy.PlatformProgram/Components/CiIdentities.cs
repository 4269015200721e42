using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
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
/// roles; and the custom lock role that spares the deploying identity Owner.
/// </summary>
public sealed class CiIdentities : ComponentResource
{
    public CiIdentities(PlatformSettings platform, ResourceGroup group, Output<GetClientConfigResult> client, StateBackend state,
        BackupStorage backup, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:CiIdentities", platform.Name, options)
    {
        var azure = platform.Azure!;
        var names = platform.Names;
        var child = new CustomResourceOptions { Parent = this };
        var subscription = client.Apply(c => $"/subscriptions/{c.SubscriptionId}");
        var lockRole = new RoleDefinition("lock-operator", new RoleDefinitionArgs
        {
            Name = $"{CiDecisions.LockOperator.Name} ({names.Cluster})",
            Scope = subscription,
            Description = CiDecisions.LockOperator.Description,
            Permissions = { new RoleDefinitionPermissionArgs { Actions = [.. CiDecisions.LockOperator.Actions] } },
            AssignableScopes = { subscription },
        }, child);

        var clientIds = new Dictionary<string, Output<string>>();
        foreach (var ci in CiDecisions.All)
        {
            var identity = new UserAssignedIdentity($"ci-{ci.Environment}", new UserAssignedIdentityArgs
            {
                Name = ci.Environment == CiDecisions.PreviewEnvironment ? names.PreviewIdentity : names.DeployIdentity,
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
                var args = new AssignmentArgs
                {
                    Scope = grant.Scope switch
                    {
                        RoleScope.Subscription => subscription,
                        RoleScope.StateContainer => state.ContainerId,
                        RoleScope.BackupAccount => backup.AccountId,
                        _ => state.KeyId,
                    },
                    PrincipalId = identity.PrincipalId,
                    PrincipalType = "ServicePrincipal",
                    Description = grant.Why,
                };
                if (grant.Condition is { } condition)
                {
                    args.Condition = condition;
                    args.ConditionVersion = "2.0";
                }
                if (grant.Role == CiDecisions.LockOperator.Name)
                {
                    args.RoleDefinitionId = lockRole.RoleDefinitionResourceId;
                }
                else
                {
                    args.RoleDefinitionName = grant.Role;
                }
                new Assignment($"ci-{ci.Environment}-{Slug(grant.Role)}", args, child);
            }
            clientIds[ci.Environment] = identity.ClientId;
        }
        PreviewClientId = clientIds[CiDecisions.PreviewEnvironment];
        DeployClientId = clientIds[CiDecisions.ProductionEnvironment];
        RegisterOutputs(new Dictionary<string, object?> { ["previewClientId"] = PreviewClientId, ["deployClientId"] = DeployClientId });
    }

    /// <summary>AZURE_CLIENT_ID of the preview environment.</summary>
    public Output<string> PreviewClientId { get; }

    /// <summary>AZURE_CLIENT_ID of the production environment.</summary>
    public Output<string> DeployClientId { get; }

    private static string Slug(string role) => new(role.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
