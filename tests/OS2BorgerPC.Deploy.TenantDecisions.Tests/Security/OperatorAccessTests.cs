using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using static OS2BorgerPC.Deploy.TenantDecisions.Tests.Support.StackFile;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Security;

/// <summary>The tenant operators' Role: reading the namespace, never a Secret or a pod's log.</summary>
public sealed class OperatorAccessTests(TempRepository repository) : IClassFixture<TempRepository>
{
    [Fact]
    public void The_operator_role_withholds_secrets_and_pod_logs() =>
        OperatorAccess.Rules.SelectMany(r => r.Resources).ShouldNotContain(resource => OperatorAccess.Withheld.Contains(resource) || resource.Contains('*'));

    [Fact]
    public void The_operator_role_only_reads() =>
        OperatorAccess.Rules.SelectMany(r => r.Verbs).Distinct().ShouldBeSubsetOf(CiIdentities.ReadVerbs);

    [Fact]
    public void The_operator_role_withholds_pods_log_by_name() => OperatorAccess.Withheld.ShouldContain("pods/log");

    [Fact]
    public void The_operator_group_is_the_tenants_own_unless_the_stack_names_one()
    {
        var workspace = repository.Open();

        OperatorAccess.Group(workspace.Load(Kubernetes()).ShouldBeValid()).ShouldBe("os2borgerpc-test-operators");
        OperatorAccess.Group(workspace.Load(Kubernetes().Set("tenant.cluster", "{operatorGroup: 2f1c0d3e-aaaa-bbbb-cccc-000000000001}")).ShouldBeValid())
            .ShouldBe("2f1c0d3e-aaaa-bbbb-cccc-000000000001");
    }
}
