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
    public void No_ci_identity_can_grant_roles() =>
        CiIdentities.All.SelectMany(i => i.AzureRoles).Select(r => r.Role)
            .ShouldNotContain(role => CiIdentities.AccessGrantingRoles.Contains(role));

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
}
