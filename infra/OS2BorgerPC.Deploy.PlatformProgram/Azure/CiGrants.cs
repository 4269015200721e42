using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using Pulumi;
using Pulumi.Azure.Authorization;
using CiDecisions = OS2BorgerPC.Deploy.TenantDecisions.Security.CiIdentities;

namespace OS2BorgerPC.Deploy.PlatformProgram.Azure;

/// <summary>
/// The CI identities' role assignments one program makes (<see cref="CiDecisions.MadeBy"/>): the foundation those outside the
/// platform's resource group, the platform those inside it. One translation of <see cref="CiDecisions.All"/> for both programs.
/// </summary>
public static class CiGrants
{
    /// <summary>
    /// Stops the program before it registers anything when the CI identities' decisions break their own rules
    /// (<see cref="CiDecisions.Problems"/>): each program calls it first, as both translate those decisions.
    /// </summary>
    public static void RefuseBrokenDecisions()
    {
        if (CiDecisions.Problems(CiDecisions.All) is { Count: > 0 } problems)
        {
            throw new RunException(Problem.Refusal("The CI identities' roles", problems));
        }
    }

    /// <param name="project">The program: <see cref="CiDecisions.FoundationProject"/> or <see cref="CiDecisions.PlatformProject"/>.</param>
    /// <param name="scopes">Each scope this program assigns at, as (name suffix, ARM ID) pairs: one assignment per pair.</param>
    /// <param name="principal">Each CI identity's principal ID, by GitHub environment.</param>
    /// <param name="customRole">A custom role's definition resource ID, by role name.</param>
    /// <param name="customRoleGuid">A custom role's definition GUID, by role name (what a condition names: CiIdentities.RenderCondition).</param>
    public static void Assign(string project, IReadOnlyDictionary<RoleScope, IReadOnlyList<(string Suffix, Output<string> Scope)>> scopes,
        Func<string, Input<string>> principal, Func<string, Input<string>> customRole, Func<string, string> customRoleGuid, CustomResourceOptions options)
    {
        foreach (var ci in CiDecisions.All)
        {
            foreach (var grant in ci.AzureRoles.Where(g => CiDecisions.MadeBy(g.Scope) == project))
            {
                foreach (var (suffix, scope) in scopes[grant.Scope])
                {
                    var args = new AssignmentArgs
                    {
                        Scope = scope,
                        PrincipalId = principal(ci.Environment),
                        PrincipalType = "ServicePrincipal",
                        Description = grant.Why,
                    };
                    if (grant.Condition is { } condition)
                    {
                        args.Condition = CiDecisions.RenderCondition(condition, customRoleGuid);
                        args.ConditionVersion = "2.0";
                    }
                    if (CiDecisions.Custom(grant.Role) is not null)
                    {
                        args.RoleDefinitionId = customRole(grant.Role);
                    }
                    else
                    {
                        args.RoleDefinitionName = grant.Role;
                    }
                    new Assignment($"ci-{ci.Environment}-{Slug(grant.Role)}{suffix}", args, CustomResourceOptions.Merge(options, Replacement));
                }
            }
        }
    }

    /// <summary>
    /// How a CI assignment is replaced. Its description, condition, principal and role are ForceNew (azurerm v4.80.0
    /// internal/services/authorization/role_assignment_resource.go, schema), and pulumi-azure gives Assignment no
    /// DeleteBeforeReplace (provider/resources.go): a create-before-delete replacement asks ARM for a second assignment of the
    /// same principal, role and scope, which fails 409 RoleAssignmentExists (hashicorp/terraform-provider-azurerm#24045, #19118).
    /// So the old one is deleted first, and a reworded reason (the description) changes nothing in Azure.
    /// </summary>
    public static readonly CustomResourceOptions Replacement = new() { DeleteBeforeReplace = true, IgnoreChanges = ["description"] };

    /// <summary>A role name as a resource name: lowercase letters, digits and hyphens.</summary>
    public static string Slug(string role) => new(role.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
