using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.PlatformProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.PlatformProgram.Tests;

/// <summary>What a first real <c>pulumi up</c> of the azure platform meets in the provider and in Azure RBAC.</summary>
[Collection(PulumiCollection.Name)]
public sealed partial class AzureProviderTests
{
    [GeneratedRegex("^/subscriptions/[0-9a-f-]{36}(/resourceGroups/[^/]+)?(/providers/.+)?$")]
    private static partial Regex ArmId();

    [Fact]
    public async Task Every_azure_resource_and_so_every_locked_storage_account_uses_the_provider_that_never_reaches_the_data_plane_with_a_key()
    {
        // azurerm v4.80.0 storage_account_resource.go: create and read poll the blob/queue/file data plane (storage_account_data_plane_helpers.go)
        // unless features.storage.data_plane_available is false; data_plane.go signs with the account key unless storage_use_azuread.
        var foundation = await FoundationHarness.RunShipped("prod");
        var platform = await PlatformHarness.RunShipped("prod");

        // azurerm v4.80.0 internal/provider/provider.go: "legacy" registers every unregistered provider before the first call, a
        // subscription-scoped write: the foundation's (an operator, Owner) only; the platform identity writes in its group only.
        foreach (var (run, registrations) in new[] { (foundation, "legacy"), (platform, "none") })
        {
            var provider = run.OfType("pulumi:providers:azure").ShouldHaveSingleItem();
            ProviderSettings.StorageUseAzureAd(provider).ShouldBeTrue();
            ProviderSettings.DataPlaneAvailable(provider).ShouldBeFalse();
            ProviderSettings.ResourceProviderRegistrations(provider).ShouldBe(registrations);
            var azure = run.Inputs.Where(i => i.Type.StartsWith("azure:", StringComparison.Ordinal)).ToList();
            azure.ShouldNotBeEmpty();
            azure.Where(r => !ProviderSettings.IsAzureProvider(r.Provider)).Select(r => $"{r.Type} {r.Name} [{r.Provider}]").ShouldBeEmpty();
        }
        var locked = foundation.OfType("azure:storage/account:Account").Where(a => a.Inputs["sharedAccessKeyEnabled"] is false).ToList();
        locked.Select(a => a.Name).Order().ShouldBe(["backup", "state"]);
    }

    [Fact]
    public async Task Every_role_assignment_is_scoped_to_an_arm_id_never_to_a_key_vault_url()
    {
        // azurerm v4.80.0 key_vault_key_resource.go: versionless_id is https://<vault>.vault.azure.net/keys/<name>;
        // resource_versionless_id is the ARM ID a role assignment's scope needs.
        var run = await PlatformHarness.RunShippedFleet("prod");

        var assignments = run.OfType("azure:authorization/assignment:Assignment").ToList();
        assignments.Count.ShouldBeGreaterThan(5);
        assignments.Where(a => !ArmId().IsMatch((string)a.Inputs["scope"])).Select(a => $"{a.Name}: {a.Inputs["scope"]}").ShouldBeEmpty();
        var keyUsers = AzurePlatformTests.CiGrants(run).Where(g => g.Role == CiIdentities.StateKeyUser.Name).ToList();
        keyUsers.Count.ShouldBe(CiIdentities.All.Count);
        keyUsers.ShouldAllBe(g => g.Scope.Contains("/providers/Microsoft.KeyVault/vaults/", StringComparison.Ordinal)
            && g.Scope.EndsWith("/keys/" + run.Single("azure:keyvault/key:Key", "secrets").Inputs["name"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_preview_identity_may_read_the_state_keys_rotation_policy_so_a_refresh_of_the_key_does_not_fail()
    {
        // azurerm v4.80.0 key_vault_key_resource.go (read): GetKeyRotationPolicy on every read, a 403 is an error; Key Vault Crypto User lacks it.
        var run = await FoundationHarness.RunShipped("prod");

        var definition = run.Single("azure:authorization/roleDefinition:RoleDefinition", "key-rotation-policy-reader").Inputs;
        var grant = run.Single("azure:authorization/assignment:Assignment", "ci-preview-os2borgerpc-key-rotation-policy-reader").Inputs;
        grant["roleDefinitionId"].ShouldBe(
            $"/subscriptions/{PlatformMocks.Subscription}/providers/Microsoft.Authorization/roleDefinitions/{definition["roleDefinitionId"]}");
        ((string)grant["scope"]).ShouldEndWith("/keys/" + run.Single("azure:keyvault/key:Key", "secrets").Inputs["name"]);
        ((string)grant["scope"]).ShouldContain("/providers/Microsoft.KeyVault/vaults/");
    }

    [Fact]
    public async Task The_operators_group_gets_the_state_containers_blob_role_and_up_waits_until_it_reaches_the_data_plane()
    {
        // Shared keys are off on the state account: pulumi login azblob:// needs a data role; RBAC propagation takes up to 10 minutes.
        var run = await FoundationHarness.RunShipped("prod");
        const string group = "3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f"; // stacks/platform/Pulumi.prod.yaml, azure.operatorGroupObjectId

        var role = run.Single("azure:authorization/assignment:Assignment", "state-operators").Inputs;
        (role["roleDefinitionName"], role["principalId"], role["principalType"]).ShouldBe(("Storage Blob Data Contributor", group, "Group"));
        ((string)role["scope"]).ShouldEndWith("/blobServices/default/containers/pulumi-state");
        var wait = run.Single("command:local:Command", "state-operators-ready").Inputs;
        ((string)wait["create"]).ShouldContain("az storage blob list --auth-mode login");
        (await run.OptionsOf("command:local:Command", "state-operators-ready").DependencyNames())
            .ShouldBe(["azure:authorization/assignment:Assignment state-operators"]);
        (await run.OptionsOf("azure:keyvault/key:Key", "secrets").DependencyNames()).ShouldBe(["command:local:Command secrets-officer-ready"]);
        (await run.OptionsOf("command:local:Command", "secrets-officer-ready").DependencyNames())
            .ShouldContain("azure:authorization/assignment:Assignment secrets-officer");
    }
}
