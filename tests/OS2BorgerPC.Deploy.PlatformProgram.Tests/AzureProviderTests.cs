using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.PlatformProgram.Tests.Testing;

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
        var run = await PlatformHarness.RunShipped("prod");

        var provider = run.OfType("pulumi:providers:azure").ShouldHaveSingleItem();
        ProviderSettings.StorageUseAzureAd(provider).ShouldBeTrue();
        ProviderSettings.DataPlaneAvailable(provider).ShouldBeFalse();
        var azure = run.Inputs.Where(i => i.Type.StartsWith("azure:", StringComparison.Ordinal)).ToList();
        azure.ShouldNotBeEmpty();
        azure.Where(r => !ProviderSettings.IsAzureProvider(r.Provider)).Select(r => $"{r.Type} {r.Name} [{r.Provider}]").ShouldBeEmpty();
        var locked = run.OfType("azure:storage/account:Account").Where(a => a.Inputs["sharedAccessKeyEnabled"] is false).ToList();
        locked.Select(a => a.Name).Order().ShouldBe(["backup", "state"]);
    }

    [Fact]
    public async Task Every_role_assignment_is_scoped_to_an_arm_id_never_to_a_key_vault_url()
    {
        // azurerm v4.80.0 key_vault_key_resource.go: versionless_id is https://<vault>.vault.azure.net/keys/<name>;
        // resource_versionless_id is the ARM ID a role assignment's scope needs.
        var run = await PlatformHarness.RunShipped("prod");

        var assignments = run.OfType("azure:authorization/assignment:Assignment").ToList();
        assignments.Count.ShouldBeGreaterThan(5);
        assignments.Where(a => !ArmId().IsMatch((string)a.Inputs["scope"])).Select(a => $"{a.Name}: {a.Inputs["scope"]}").ShouldBeEmpty();
        var keyUsers = assignments.Where(a => a.Inputs.GetValueOrDefault("roleDefinitionName") is "Key Vault Crypto User").ToList();
        keyUsers.Count.ShouldBe(2);
        keyUsers.ShouldAllBe(a => ((string)a.Inputs["scope"]).Contains("/providers/Microsoft.KeyVault/vaults/", StringComparison.Ordinal)
            && ((string)a.Inputs["scope"]).EndsWith("/keys/" + run.Single("azure:keyvault/key:Key", "secrets").Inputs["name"], StringComparison.Ordinal));
    }
}
