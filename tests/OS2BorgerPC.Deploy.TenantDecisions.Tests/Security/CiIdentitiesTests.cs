using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Security;

/// <summary>The CI identities' rights, as the platform program creates them and docs/SECURITY.md lists them.</summary>
public sealed class CiIdentitiesTests
{
    [Fact]
    public void The_preview_identity_holds_no_role_that_writes()
    {
        CiIdentities.Preview.AzureRoles.Select(r => r.Role).ShouldNotContain(role => CiIdentities.WritingRoles.Contains(role));
        CiIdentities.Preview.AzureRoles.Select(r => r.Role).ShouldContain("Reader");
    }

    [Fact]
    public void The_preview_identity_may_only_read_in_the_cluster() =>
        CiIdentities.Preview.ClusterRules.SelectMany(r => r.Verbs).Distinct().ShouldBeSubsetOf(CiIdentities.ReadVerbs);

    [Fact]
    public void No_ci_identity_can_grant_roles_but_the_tenants_blob_roles_under_a_condition_in_the_backup_account() =>
        CiIdentities.All.SelectMany(i => i.AzureRoles).Where(r => CiIdentities.AccessGrantingRoles.Contains(r.Role))
            .Select(r => (r.Role, r.Scope, r.Condition))
            .ShouldBe([(CiIdentities.DelegatedAssignmentRole, RoleScope.BackupAccount, CiIdentities.TenantAssignmentCondition)]);

    [Fact]
    public void The_lock_role_manages_locks_and_nothing_else()
    {
        CiIdentities.LockOperator.Actions.ShouldNotBeEmpty();
        CiIdentities.LockOperator.Actions.ShouldAllBe(action => action.StartsWith("Microsoft.Authorization/locks/", StringComparison.Ordinal) && !action.Contains('*'));
        CiIdentities.Production.AzureRoles.Select(r => r.Role).ShouldContain(CiIdentities.LockOperator.Name);
    }

    [Fact]
    public void Only_the_production_identity_runs_up() =>
        CiIdentities.All.Where(i => i.Operations.Contains("up")).Select(i => i.Environment).ShouldBe([CiIdentities.ProductionEnvironment]);

    [Fact]
    public void Every_grant_says_where_and_why() =>
        CiIdentities.All.SelectMany(i => i.AzureRoles).ShouldAllBe(r => Enum.IsDefined(r.Scope) && r.Why.Length > 0);

    [Fact]
    // Azure RBAC "conditions-authorization-actions-attributes": roleAssignments/write carries RoleDefinitionId and PrincipalType as
    // request attributes, roleAssignments/delete as resource attributes; the GUIDs are the built-in roles' fixed IDs.
    public void The_deployers_condition_names_exactly_the_blob_roles_it_may_assign_to_service_principals_in_the_backup_account()
    {
        var condition = CiIdentities.TenantAssignmentCondition;
        condition.ShouldContain("ba92f5b4-2d11-453d-a403-e96b0029c9fe");
        condition.ShouldContain("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1");
        condition.ShouldContain("@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]");
        condition.ShouldContain("@Resource[Microsoft.Authorization/roleAssignments:PrincipalType]");
        const string account = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-backup/providers/Microsoft.Storage/storageAccounts/stbackup";
        CiIdentities.MayDeployAssign("Storage Blob Data Contributor", "ServicePrincipal", account + "/blobServices/default/containers/aarhus", account).ShouldBeTrue();
        CiIdentities.MayDeployAssign("Storage Blob Data Owner", "ServicePrincipal", account + "/blobServices/default/containers/aarhus", account).ShouldBeFalse();
        CiIdentities.MayDeployAssign("Storage Blob Data Contributor", "User", account, account).ShouldBeFalse();
        CiIdentities.MayDeployAssign("Storage Blob Data Reader", "ServicePrincipal", account + "2", account).ShouldBeFalse();
    }
}
