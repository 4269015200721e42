using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Tests.Support;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>"From zero": the operators' data role on the state, and the wait for role assignments to propagate.</summary>
public sealed class BootstrapDecisionsTests
{
    [Fact]
    public void The_operators_group_is_read_as_an_entra_object_id()
    {
        var azure = PlatformStackFile.Azure().Set("azure.operatorGroupObjectId", "\"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b\"").Load().ShouldBeValid().Azure!;

        azure.OperatorGroupObjectId.ShouldBe("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
    }

    [Theory]
    [InlineData("\"operators\"")]
    [InlineData("\"00000000-0000-0000-0000-000000000000\"")]
    [InlineData("\"{6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b}\"")]
    public void Anything_but_an_object_id_is_named_with_where_to_find_it(string json) =>
        PlatformStackFile.Azure().Set("azure.operatorGroupObjectId", json).Load()
            .ShouldReport("os2borgerpc-platform:platform.azure.operatorGroupObjectId", "az ad group show");

    [Fact]
    public void The_wait_outlasts_the_documented_propagation_and_then_names_the_fix()
    {
        // learn.microsoft.com/azure/role-based-access-control/troubleshooting: role assignment changes can take up to 10 minutes.
        (RbacPropagation.Attempts * RbacPropagation.IntervalSeconds).ShouldBeGreaterThanOrEqualTo(10 * 60);

        var script = RbacPropagation.StateContainerScript("stos2borgerpcprod", "pulumi-state");

        script.ShouldContain("az storage blob list --auth-mode login --account-name 'stos2borgerpcprod' --container-name 'pulumi-state'");
        script.ShouldContain($"-ge {RbacPropagation.Attempts}");
        script.ShouldContain("exit 1");
        script.ShouldContain("operatorGroupObjectId");
    }

    [Fact]
    public void The_key_waits_for_a_data_plane_read_of_the_vault()
    {
        var script = RbacPropagation.KeyVaultScript("kv-prod-abc");

        script.ShouldContain("az keyvault key list --vault-name 'kv-prod-abc'");
        script.ShouldContain("Key Vault Crypto Officer on kv-prod-abc has not reached you");
    }
}
