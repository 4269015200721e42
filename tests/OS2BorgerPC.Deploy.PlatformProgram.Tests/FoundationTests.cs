using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.FoundationProgram.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.PlatformProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using Pulumi.Utilities;

namespace OS2BorgerPC.Deploy.PlatformProgram.Tests;

/// <summary>
/// The split of issue 25: the foundation (an operator's up) makes what holds the state, the backups and CI's own rights; the
/// platform (the CI platform identity) writes in the platform's resource group only. Under mocks that return Azure's ARM IDs.
/// </summary>
[Collection(PulumiCollection.Name)]
public sealed class FoundationTests
{
    private static readonly string Subscription = $"/subscriptions/{PlatformMocks.Subscription}";

    /// <summary>Whether <paramref name="scope"/> is <paramref name="id"/> or above it (an ARM ID prefix; the subscription contains everything).</summary>
    internal static bool Contains(string scope, string id) =>
        id.Equals(scope, StringComparison.OrdinalIgnoreCase) || id.StartsWith(scope + "/", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public async Task The_platform_reads_exactly_what_its_foundation_records()
    {
        var run = await FoundationHarness.RunShipped("prod");

        var recorded = (await OutputUtilities.GetValueAsync(run.Foundation.PlatformFoundation)).GetRawText();
        var (outputs, problem) = FoundationOutputs.Parse("prod", JsonNode.Parse(recorded));
        problem.ShouldBeNull();
        // The mocks' StackReference answer (FoundationFixture) is the foundation's own output, value for value.
        outputs!.ToJson().ShouldBe(FoundationFixture.For("prod").ToJson());
        outputs.RoleDefinitionIds.Values.ShouldAllBe(id => id.StartsWith(Subscription + "/providers/Microsoft.Authorization/roleDefinitions/", StringComparison.Ordinal));
        outputs.CiPrincipalIds.Keys.ShouldBe(CiIdentities.All.Select(i => i.Environment), ignoreOrder: true);
        outputs.TenantResourceGroupIds.Keys.ShouldBe(["aarhus", "faelles-it"]);
    }

    [Fact]
    public async Task The_platform_program_makes_no_group_role_definition_or_ci_identity_and_assigns_nothing_privileged_or_outside_its_group()
    {
        var run = await PlatformHarness.RunShipped("prod");
        var platformGroup = AzureMockState.GroupId("rg-os2borgerpc-platform-prod");

        run.OfType("azure:core/resourceGroup:ResourceGroup").ShouldBeEmpty();
        run.OfType("azure:authorization/roleDefinition:RoleDefinition").ShouldBeEmpty();
        var ciIdentities = CiIdentities.All.Select(i => PlatformDecisions.Naming.PlatformNames.For("os2borgerpc", "prod").CiIdentity(i.Environment)).ToList();
        ciIdentities.Count.ShouldBe(3);
        run.OfType("azure:authorization/userAssignedIdentity:UserAssignedIdentity").Select(i => (string)i.Inputs["name"]).ShouldNotContain(name => ciIdentities.Contains(name));
        var assignments = run.OfType("azure:authorization/assignment:Assignment").ToList();
        assignments.Count.ShouldBeGreaterThan(10);
        assignments.Where(a => !Contains(platformGroup, (string)a.Inputs["scope"])).Select(a => $"{a.Name}: {a.Inputs["scope"]}").ShouldBeEmpty();
        var privileged = CiIdentities.PrivilegedRoles.SelectMany(r => new[] { r.Name, r.DefinitionGuid }).ToList();
        assignments.Where(a => privileged.Any(p => (a.Inputs.GetValueOrDefault("roleDefinitionName") as string ?? (string)a.Inputs["roleDefinitionId"]).Contains(p, StringComparison.Ordinal)))
            .Select(a => a.Name).ShouldBeEmpty();
        // The cluster's public IP reader is the foundation's role, assigned by the ID it exports.
        run.Single("azure:authorization/assignment:Assignment", "cluster-gateway-ip-lookup").Inputs["roleDefinitionId"]
            .ShouldBe(FoundationFixture.For("prod").RoleDefinitionIds[GatewayAddress.GroupPublicIpReader.Name]);
    }

    /// <summary>
    /// A grant made in the run that needs it has not propagated yet: azurerm v4.80.0 role_assignment_resource.go
    /// (roleAssignmentCreateStateRefreshFunc) waits only until ARM answers the assignment's GET, and AKS "New role assignments can
    /// take up to five minutes to propagate" (learn.microsoft.com/azure/aks/manage-azure-rbac): the first CI platform up's Helm and
    /// Kubernetes calls would get 403. So the foundation grants the platform identity cluster admin at the platform's group (it
    /// exists before the cluster, which inherits it), and the platform program grants its own identity nothing.
    /// </summary>
    [Fact]
    public async Task The_platform_program_makes_no_assignment_to_the_platform_identity_and_the_foundation_grants_it_cluster_admin_at_its_group()
    {
        var platformPrincipal = FoundationFixture.For("prod").CiPrincipalIds[CiIdentities.PlatformEnvironment];
        var platform = await PlatformHarness.RunShipped("prod");
        platform.OfType("azure:authorization/assignment:Assignment").Where(a => (string)a.Inputs["principalId"] == platformPrincipal)
            .Select(a => a.Name).ShouldBeEmpty();

        var foundation = await FoundationHarness.RunShipped("prod");
        foundation.OfType("azure:authorization/assignment:Assignment")
            .Where(a => (string)a.Inputs["principalId"] == platformPrincipal && a.Inputs.GetValueOrDefault("roleDefinitionName") as string == CiIdentities.ClusterAdminRole)
            .Select(a => (string)a.Inputs["scope"]).ShouldBe([AzureMockState.GroupId("rg-os2borgerpc-platform-prod")]);
    }

    /// <summary>
    /// azurerm v4.80.0 role_assignment_resource.go: description, condition, principal and role are ForceNew; pulumi-azure
    /// (provider/resources.go) gives Assignment no DeleteBeforeReplace, so a default replacement creates the new assignment first
    /// and ARM refuses the duplicate with 409 RoleAssignmentExists (hashicorp/terraform-provider-azurerm#24045, #19118).
    /// </summary>
    [Fact]
    public async Task Every_ci_assignment_of_either_program_is_replaced_delete_first_and_a_reworded_reason_changes_nothing()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");

        var ci = run.Options.Where(o => o.Type == "azure:authorization/assignment:Assignment" && o.Name.StartsWith("ci-", StringComparison.Ordinal)).ToList();
        ci.Count.ShouldBe(AzurePlatformTests.CiGrants(run).Count);
        ci.Where(o => !o.DeleteBeforeReplace || !o.IgnoreChanges.SequenceEqual(["description"])).Select(o => o.Name).ShouldBeEmpty();
    }

    /// <summary>
    /// The state-write condition (StateWrites) must reach Azure on the very assignment: without it the role writes every project's
    /// checkpoints, the foundation's included. The conditioned grants name custom roles by GUID, so they wait for the definitions.
    /// </summary>
    [Fact]
    public async Task Every_state_write_grant_reaches_azure_with_its_identitys_own_paths_and_waits_for_the_custom_roles()
    {
        var run = await FoundationHarness.RunShipped("prod");

        var writers = run.OfType("azure:authorization/assignment:Assignment")
            .Where(a => a.Name.EndsWith(CiGrantsSlug(CiIdentities.StateWriter.Name), StringComparison.Ordinal)).ToList();
        writers.Select(a => a.Name).ShouldBe(["ci-production-" + CiGrantsSlug(CiIdentities.StateWriter.Name), "ci-platform-" + CiGrantsSlug(CiIdentities.StateWriter.Name)], ignoreOrder: true);
        foreach (var writer in writers)
        {
            var identity = CiIdentities.All.Single(i => writer.Name.StartsWith($"ci-{i.Environment}-", StringComparison.Ordinal));
            ((string)writer.Inputs["condition"]).ShouldBe(StateWrites.Condition(identity.Projects));
            ((string)writer.Inputs["conditionVersion"]).ShouldBe("2.0");
            (await run.DependenciesOf("azure:authorization/assignment:Assignment", writer.Name)).ShouldContain(d => d.StartsWith("os2borgerpc:foundation:CustomRoles::", StringComparison.Ordinal));
        }
    }

    private static string CiGrantsSlug(string role) => OS2BorgerPC.Deploy.PlatformProgram.Azure.CiGrants.Slug(role);

    /// <summary>
    /// The platform identity's RBAC Administrator is an allow-list (<see cref="CiIdentities.PlatformAssignmentCondition"/>): every
    /// assignment the platform program makes must pass it, or the platform's up would be refused by Azure. Built-in GUIDs:
    /// learn.microsoft.com built-in roles; custom ones the foundation's deterministic GUIDs.
    /// </summary>
    [Fact]
    public async Task Every_assignment_the_platform_program_makes_passes_its_identitys_assignment_condition()
    {
        var run = await PlatformHarness.RunShipped("prod");
        var names = PlatformDecisions.Naming.PlatformNames.For("os2borgerpc", "prod");
        var builtIns = CiIdentities.PlatformAssignableBuiltIns.Concat(CiIdentities.PrivilegedRoles).ToDictionary(r => r.Name, r => r.DefinitionGuid);

        var assignments = run.OfType("azure:authorization/assignment:Assignment").ToList();
        assignments.Count.ShouldBeGreaterThan(10);
        foreach (var a in assignments)
        {
            var guid = a.Inputs.GetValueOrDefault("roleDefinitionName") is string name
                ? builtIns.GetValueOrDefault(name, $"unknown built-in {name}")
                : ((string)a.Inputs["roleDefinitionId"]).Split('/')[^1];
            CiIdentities.MayPlatformAssign(guid, (string)a.Inputs["principalType"], names.CustomRoleGuid).ShouldBeTrue($"{a.Name}: {guid}");
        }
        CiIdentities.MayPlatformAssign(CiIdentities.PrivilegedRoles[0].DefinitionGuid, "ServicePrincipal", names.CustomRoleGuid).ShouldBeFalse();
    }

    [Fact]
    public async Task The_foundation_makes_the_groups_the_custom_roles_and_the_ci_identities_in_its_own_locked_group()
    {
        var run = await FoundationHarness.RunShipped("prod");

        run.OfType("azure:core/resourceGroup:ResourceGroup").Select(g => (string)g.Inputs["name"]).Order().ShouldBe([
            "rg-os2borgerpc-aarhus", "rg-os2borgerpc-backup-prod", "rg-os2borgerpc-faelles-it", "rg-os2borgerpc-foundation-prod", "rg-os2borgerpc-platform-prod"]);
        foreach (var name in new[] { "platform", "foundation" })
        {
            var options = run.OptionsOf("azure:core/resourceGroup:ResourceGroup", name);
            (options.Protect, options.RetainOnDelete).ShouldBe((true, true), name);
        }
        run.Single("azure:management/lock:Lock", "foundation-lock").Inputs["scope"].ShouldBe(AzureMockState.GroupId("rg-os2borgerpc-foundation-prod"));
        run.OfType("azure:authorization/userAssignedIdentity:UserAssignedIdentity").ShouldAllBe(i => (string)i.Inputs["resourceGroupName"] == "rg-os2borgerpc-foundation-prod");
        run.OfType("azure:storage/account:Account").Single(a => a.Name == "state").Inputs["resourceGroupName"].ShouldBe("rg-os2borgerpc-foundation-prod");
        run.OfType("azure:keyvault/keyVault:KeyVault").Single().Inputs["resourceGroupName"].ShouldBe("rg-os2borgerpc-foundation-prod");
        run.OfType("azure:authorization/roleDefinition:RoleDefinition").Count().ShouldBe(CiIdentities.CustomRoles.Count + 1);
        // Each definition's GUID is set, not left to Azure (CustomRoleIds): one made but not read back is imported under a known ID.
        var names = PlatformDecisions.Naming.PlatformNames.For("os2borgerpc", "prod");
        run.OfType("azure:authorization/roleDefinition:RoleDefinition").Select(d => ((string)d.Inputs["name"], (string)d.Inputs["roleDefinitionId"]))
            .ShouldBe(FoundationOutputs.RolesItDefines.Select(r => (names.CustomRole(r.Name), names.CustomRoleGuid(r.Name))), ignoreOrder: true);
        // The platform's grants at the cluster, namespaces and network are the platform program's, not made twice.
        AzurePlatformTests.CiGrants(run).Where(g => g.Scope.Contains("/managedClusters/", StringComparison.Ordinal) || g.Scope.Contains("/virtualNetworks/", StringComparison.Ordinal))
            .ShouldBeEmpty();
    }

    [Fact]
    public async Task No_output_of_either_stack_is_a_static_credential()
    {
        var foundation = await FoundationHarness.RunShipped("prod");
        var foundationOutputs = await StackOutputs.Of(foundation.Foundation);
        var platform = await PlatformHarness.RunShipped("prod");
        var platformOutputs = await StackOutputs.Of(platform.Stack);

        new[] { FoundationOutputs.OutputName, "stateBackend", "secretsProvider", "ciClientIds" }.ShouldBeSubsetOf(foundationOutputs.Keys);
        platformOutputs.Keys.ShouldNotContain("stateBackend");
        foundationOutputs.Concat(platformOutputs).Where(o => StaticCredentials.In(o.Value).Any()).Select(o => o.Key).ShouldBeEmpty();
    }

    [Fact]
    public void The_foundation_refuses_a_cluster_platform_naming_the_file_and_the_flavour_key()
    {
        var (platform, problems) = FoundationConfig.Load(RepositoryRoot.FullPath, "demo");

        platform.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        (problem.File, problem.Key).ShouldBe(("stacks/platform/Pulumi.demo.yaml", "os2borgerpc-platform:platform.flavour"));
        problem.Fix.ShouldContain("azure flavour only");
    }

    [Fact]
    public void The_foundation_refuses_a_platform_stack_file_that_does_not_load_or_exist()
    {
        var (missing, problems) = FoundationConfig.Load(RepositoryRoot.FullPath, "nowhere");
        missing.ShouldBeNull();
        problems.ShouldHaveSingleItem().File.ShouldBe("stacks/platform/Pulumi.nowhere.yaml");

        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "stacks/platform/Pulumi.prod.yaml")).Replace("location: westeurope", "location: 7");
        var (config, _) = PlatformDecisions.Configuration.PlatformWorkspace.Open(RepositoryRoot.FullPath).Project.ReadStackText("prod", yaml);
        var (bad, badProblems) = FoundationConfig.Of(PlatformLoader.Load(config!), "stacks/platform/Pulumi.prod.yaml");
        bad.ShouldBeNull();
        badProblems.Select(p => (p.File, p.Key)).ShouldContain(("stacks/platform/Pulumi.prod.yaml", "os2borgerpc-platform:platform.azure.location"));
    }

    [Fact]
    public async Task The_foundation_program_provisions_nothing_for_a_cluster_platform()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "stacks/platform/Pulumi.demo.yaml"));

        var error = await Should.ThrowAsync<Exception>(() => FoundationHarness.Run("demo", yaml));

        error.ToString().ShouldContain("os2borgerpc-platform:platform.flavour");
        error.ToString().ShouldContain("The foundation is for the azure flavour only");
        error.ToString().ShouldContain("nothing was provisioned");
    }

    /// <summary>
    /// Without a foundation stack the engine itself fails the StackReference read (pulumi/pulumi pkg/backend
    /// backendClient.GetStackOutputs: 'unknown stack "organization/os2borgerpc-foundation/prod"'), before the program's own refusal
    /// can run: that is what an operator sees, and docs/RUNBOOK.md names the fix. Nothing is provisioned either way.
    /// </summary>
    [Fact]
    public async Task Without_a_foundation_stack_the_engine_fails_the_reference_naming_the_stack_and_nothing_is_provisioned()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "stacks/platform/Pulumi.prod.yaml"));
        var mocks = new PlatformMocks { FoundationStacks = _ => null };

        var error = await Should.ThrowAsync<Exception>(() => PlatformHarness.Run("prod", yaml, mocks));

        error.ToString().ShouldContain("unknown stack \"organization/os2borgerpc-foundation/prod\"");
        mocks.Registrations.Where(r => r.Type.StartsWith("azure:", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    /// <summary>A foundation stack made (<c>pulumi stack init</c>) but never deployed has no outputs: the program's refusal names the operator's up.</summary>
    [Fact]
    public async Task A_foundation_stack_that_was_never_deployed_is_refused_naming_the_operators_up()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "stacks/platform/Pulumi.prod.yaml"));
        var mocks = new PlatformMocks { FoundationStacks = _ => System.Collections.Immutable.ImmutableDictionary<string, object>.Empty };

        var error = await Should.ThrowAsync<Exception>(() => PlatformHarness.Run("prod", yaml, mocks));

        error.ToString().ShouldContain("organization/os2borgerpc-foundation/prod");
        error.ToString().ShouldContain("pulumi up --stack prod' in infra/OS2BorgerPC.Deploy.FoundationProgram");
        mocks.Registrations.Where(r => r.Type.StartsWith("azure:", StringComparison.Ordinal)).ShouldBeEmpty();
    }
}
