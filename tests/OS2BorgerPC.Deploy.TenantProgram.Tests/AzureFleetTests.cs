using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>All 98 municipalities as azure-hosted tenants on the azure platform, as a first and second real <c>pulumi up</c> would meet them.</summary>
[Collection(PulumiCollection.Name)]
public sealed partial class AzureFleetTests
{
    private const string Assignment = "azure:authorization/assignment:Assignment";
    private const string Server = "azure:postgresql/flexibleServer:FlexibleServer";

    [GeneratedRegex("^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/.+$")]
    private static partial Regex ArmId();

    [Fact]
    public async Task All_98_azure_tenants_reach_no_storage_data_plane_with_a_key_scope_every_role_to_an_arm_id_the_deployer_may_assign_and_name_every_servers_zone_and_stay_in_the_eea()
    {
        var withoutProvider = new List<string>();
        var nonArmScopes = new List<string>();
        var notAssignable = new List<string>();
        var withoutZone = new List<string>();
        var outsideEea = new List<string>();
        var (accounts, assignments, servers) = (0, 0, 0);
        foreach (var municipality in MunicipalityRegister.All)
        {
            var run = await StackHarness.Run(municipality.Slug, (NewTenant.For(municipality) with { Hosting = "azure" }).RenderStackFile());
            var backupAccount = StackHarness.PlatformOf(municipality).Backup.AzureStorageAccountId!;
            var provider = run.Inputs.Single(i => i.Type == "pulumi:providers:azure");
            // azurerm v4.80.0 storage_account_resource.go / data_plane.go: no data-plane poll with data_plane_available=false; Entra ID, not the key, with storage_use_azuread.
            (ProviderSettings.StorageUseAzureAd(provider), ProviderSettings.DataPlaneAvailable(provider)).ShouldBe((true, false), municipality.Slug);
            // azurerm v4.80.0 internal/provider/provider.go: 4.x defaults resource_provider_registrations to "legacy" (registers every
            // unregistered provider, a subscription write); the deploying identity is Reader there, so a tenant registers none.
            ProviderSettings.ResourceProviderRegistrations(provider).ShouldBe("none", municipality.Slug);
            foreach (var resource in run.Inputs.Where(i => i.Type.StartsWith("azure:", StringComparison.Ordinal)))
            {
                if (!ProviderSettings.IsAzureProvider(resource.Provider))
                {
                    withoutProvider.Add($"{municipality.Slug}: {resource.Type} {resource.Name}");
                }
            }
            outsideEea.AddRange(run.Inputs.Where(i => i.Inputs.GetValueOrDefault("location") is string l && !DataResidency.EeaRegions.Contains(l))
                .Select(i => $"{municipality.Slug}: {i.Type} {i.Name}"));
            accounts += run.Inputs.Count(i => i.Type == "azure:storage/account:Account");
            foreach (var assignment in run.Inputs.Where(i => i.Type == Assignment))
            {
                assignments++;
                var scope = (string)assignment.Inputs["scope"];
                if (!ArmId().IsMatch(scope))
                {
                    nonArmScopes.Add($"{municipality.Slug}/{assignment.Name}: {scope}");
                }
                // Contributor excludes Microsoft.Authorization/*/write: only the conditioned RBAC Administrator role lets CI make these.
                if (!CiIdentities.MayDeployAssign((string)assignment.Inputs["roleDefinitionName"], (string)assignment.Inputs["principalType"], scope, backupAccount))
                {
                    notAssignable.Add($"{municipality.Slug}/{assignment.Name}");
                }
            }
            foreach (var server in run.Inputs.Where(i => i.Type == Server))
            {
                servers++;
                // azurerm v4.80.0 postgresql_flexible_server_resource.go: zone is optional, not computed; an unset zone is cleared on the next update, which Azure refuses.
                if (server.Inputs.GetValueOrDefault("zone") as string != AzureSettings.DatabaseZone)
                {
                    withoutZone.Add(municipality.Slug);
                }
            }
        }

        (accounts, servers).ShouldBe((98, 98));
        assignments.ShouldBeGreaterThanOrEqualTo(98);
        withoutProvider.ShouldBeEmpty();
        nonArmScopes.ShouldBeEmpty();
        notAssignable.ShouldBeEmpty();
        withoutZone.ShouldBeEmpty();
        outsideEea.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_server_ignores_storage_growth_after_creation_and_a_zone_redundant_one_names_its_standby_zone()
    {
        // azurerm v4.80.0 postgresql_flexible_server_resource.go CustomizeDiff: storage_mb ForceNew when the new value is smaller than the state's
        // (auto-grow makes the state's larger); standby_availability_zone cannot be changed after creation.
        var run = await StackHarness.RunShipped("aarhus");

        run.OptionsOf(Server, "server").IgnoreChanges.ShouldBe([Components.AzureDatabase.StorageMbInput]);
        var server = run.InputsOf(Server, "server").Inputs;
        server["autoGrowEnabled"].ShouldBe(true);
        server["zone"].ShouldBe(AzureSettings.DatabaseZone);
        if (server.TryGetValue("highAvailability", out var ha))
        {
            ((IDictionary<string, object>)ha)["standbyAvailabilityZone"].ShouldBe(AzureSettings.DatabaseStandbyZone);
        }
    }
}
