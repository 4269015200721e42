using System.Collections.Immutable;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>The contract between the foundation (an operator's stack) and the platform that reads it through a StackReference.</summary>
public sealed class FoundationOutputsTests
{
    private const string Subscription = "/subscriptions/00000000-0000-0000-0000-000000000000";

    private static readonly FoundationOutputs Sample = new(
        "rg-os2borgerpc-platform-prod",
        $"{Subscription}/resourceGroups/rg-os2borgerpc-platform-prod",
        $"{Subscription}/resourceGroups/rg-os2borgerpc-backup-prod/providers/Microsoft.Storage/storageAccounts/stprodbackup1a2b3c",
        CiIdentities.All.ToImmutableSortedDictionary(i => i.Environment, i => $"6f1c2d3e-0000-4000-8000-{i.Environment.Length:D12}"),
        FoundationOutputs.RolesItDefines.ToImmutableSortedDictionary(r => r.Name, r => $"{Subscription}/providers/Microsoft.Authorization/roleDefinitions/0b1c2d3e-0000-4000-8000-{r.Name.Length:D12}"),
        ImmutableSortedDictionary<string, string>.Empty.Add("aarhus", $"{Subscription}/resourceGroups/rg-os2borgerpc-aarhus"));

    [Fact]
    public void The_outputs_read_back_as_written()
    {
        var (parsed, problem) = FoundationOutputs.Parse("prod", JsonNode.Parse(Sample.ToJson()));

        problem.ShouldBeNull();
        parsed.ShouldNotBeNull();
        parsed.ToJson().ShouldBe(Sample.ToJson());
        JsonNode.Parse(Sample.ToJson())!.AsObject().Select(p => p.Key).ShouldBe(
            ["platformResourceGroup", "platformResourceGroupId", "backupAccountId", "ciPrincipalIds", "roleDefinitionIds", "tenantResourceGroupIds"]);
    }

    [Fact]
    public void A_platform_stack_reads_the_foundation_stack_of_its_own_name() =>
        FoundationOutputs.StackName("prod").ShouldBe("organization/os2borgerpc-foundation/prod");

    [Fact]
    public void No_foundation_yet_or_one_of_another_kit_is_refused_naming_the_operators_up()
    {
        var (missing, problem) = FoundationOutputs.Parse("prod", null);
        missing.ShouldBeNull();
        (problem!.File, problem.Key).ShouldBe(("foundation stack organization/os2borgerpc-foundation/prod", "output platformFoundation"));
        problem.Fix.ShouldContain("'pulumi up --stack prod' in infra/OS2BorgerPC.Deploy.FoundationProgram");

        var older = JsonNode.Parse(Sample.ToJson())!.AsObject();
        older.Remove("tenantResourceGroupIds");
        FoundationOutputs.Parse("prod", older).Problem!.Message.ShouldStartWith("cannot be read");
        older["tenantResourceGroupIds"] = new JsonObject();
        older["unknown"] = "x";
        FoundationOutputs.Parse("prod", older).Problem.ShouldNotBeNull();

        var withoutReader = Sample with { RoleDefinitionIds = Sample.RoleDefinitionIds.Remove(GatewayAddress.GroupPublicIpReader.Name) };
        var noReader = FoundationOutputs.Parse("prod", JsonNode.Parse(withoutReader.ToJson())).Problem.ShouldNotBeNull();
        (noReader.Key, noReader.Message).ShouldBe(("output platformFoundation.roleDefinitionIds", "lacks OS2BorgerPC Public IP Reader."));
        var withoutPlatform = Sample with { CiPrincipalIds = Sample.CiPrincipalIds.Remove(CiIdentities.PlatformEnvironment) };
        FoundationOutputs.Parse("prod", JsonNode.Parse(withoutPlatform.ToJson())).Problem!.Key.ShouldBe("output platformFoundation.ciPrincipalIds");
    }

    [Fact]
    public void A_role_recorded_under_another_guid_than_the_decided_one_is_refused_naming_it()
    {
        var names = OS2BorgerPC.Deploy.PlatformDecisions.Naming.PlatformNames.For("os2borgerpc", "prod");
        var decided = Sample with
        {
            RoleDefinitionIds = FoundationOutputs.RolesItDefines.ToImmutableSortedDictionary(
                r => r.Name, r => $"{Subscription}/providers/Microsoft.Authorization/roleDefinitions/{names.CustomRoleGuid(r.Name)}"),
        };
        decided.RoleGuidProblem("prod", names.CustomRoleGuid).ShouldBeNull();

        var imported = decided with { RoleDefinitionIds = decided.RoleDefinitionIds.SetItem(CiIdentities.ClusterReader.Name, $"{Subscription}/providers/Microsoft.Authorization/roleDefinitions/{Guid.Empty}") };
        var problem = imported.RoleGuidProblem("prod", names.CustomRoleGuid).ShouldNotBeNull();
        problem.Key.ShouldBe("output platformFoundation.roleDefinitionIds");
        problem.Message.ShouldStartWith($"records {CiIdentities.ClusterReader.Name} under another definition GUID");
    }
}
