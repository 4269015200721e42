using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using Pulumi;
using Pulumi.Azure.ArmMsi;
using Pulumi.Azure.Authorization;

namespace OS2BorgerPC.Deploy.TenantProgram.Azure;

/// <summary>How a tenant's pods reach the platform's backup account: a workload identity in the tenant's group and a blob role under the account.</summary>
internal static class BackupAccountAccess
{
    /// <summary>
    /// A user-assigned identity, <c>&lt;prefix&gt;-identity</c>, and one federated credential per ServiceAccount of the tenant's
    /// namespace (<c>&lt;prefix&gt;-federation-&lt;account&gt;</c>): only pods running as one of them can act as it.
    /// </summary>
    public static UserAssignedIdentity Identity(string prefix, string name, Tenant tenant, AzureNetwork network, Input<string> resourceGroup,
        IEnumerable<string> serviceAccounts, CustomResourceOptions options)
    {
        var identity = new UserAssignedIdentity($"{prefix}-identity", new UserAssignedIdentityArgs
        {
            Name = name,
            ResourceGroupName = resourceGroup,
            Location = network.Location,
        }, options);
        foreach (var account in serviceAccounts)
        {
            new FederatedIdentityCredential($"{prefix}-federation-{account}", new FederatedIdentityCredentialArgs
            {
                Name = $"{tenant.Names.Namespace}-{account}",
                ResourceGroupName = resourceGroup,
                ParentId = identity.Id,
                Audience = DatabaseRoles.FederatedTokenAudience,
                Issuer = network.OidcIssuerUrl,
                Subject = $"system:serviceaccount:{tenant.Names.Namespace}:{account}",
            }, options);
        }
        return identity;
    }

    /// <summary>
    /// A blob role of <paramref name="identity"/> at a scope under the backup account, which no stack change ever deletes.
    /// The account and its group carry CanNotDelete locks (the platform's BackupStorage), and such a lock refuses deleting
    /// a role assignment at the locked scope or below (a container) while still allowing new ones: MicrosoftDocs/azure-docs#110791,
    /// hashicorp/terraform-provider-azurerm#11770 and #7668 ("cannot perform delete operation because following scope(s) are
    /// locked"). Every argument of an assignment is ForceNew (azurerm v4.80.0 internal/services/authorization/role_assignment_resource.go),
    /// so a new principal is a create and a delete of the old one. RetainOnDelete turns that delete, and a destroy's, into
    /// forgetting it (pulumi pkg/resource/deploy/step.go DeleteStep.Apply: no provider Delete when the old state has
    /// RetainOnDelete): the up goes through, and the assignment stays in Azure naming a principal that is deleted or kept
    /// without new use (the operator's yearly clean-up removes them, with the lock lifted).
    /// </summary>
    public static Assignment BackupAccountRole(string name, Input<string> scope, string role, UserAssignedIdentity identity, Resource parent) =>
        new(name, new AssignmentArgs
        {
            Scope = scope,
            RoleDefinitionName = role,
            PrincipalId = identity.PrincipalId,
            // A new identity's principal may not have replicated in Entra ID yet: the type spares ARM looking it up, and azurerm
            // retries PrincipalNotFound (v4.80.0 role_assignment_resource.go retryRoleAssignmentsClient).
            PrincipalType = "ServicePrincipal",
        }, new CustomResourceOptions { Parent = parent, RetainOnDelete = true });
}
