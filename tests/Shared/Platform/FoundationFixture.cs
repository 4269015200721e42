using System.Collections.Immutable;
using System.Text.Json;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>
/// What the foundation stack of a shipped platform stack records as <see cref="FoundationOutputs.OutputName"/> after an up against
/// <see cref="AzureMockState"/>: the IDs in Azure's formats (group IDs, the backup account's ARM ID, the identities' principal IDs,
/// role definition resource IDs). PlatformProgram.Tests' FoundationTests pins it equal to a mocked foundation run's output.
/// </summary>
public static class FoundationFixture
{
    public static FoundationOutputs For(string platformStack)
    {
        var root = RepositoryRoot.FullPath;
        var platform = PlatformLoader.Load(PlatformWorkspace.Open(root).ReadStack(platformStack)).OrThrow();
        var names = platform.Names;
        var (tenants, _) = PlatformTenants.On(FleetLoader.Load(ProjectWorkspace.Open(root)), platform.Name);
        string RoleId(string role) =>
            $"/subscriptions/{AzureMockState.Subscription}/providers/Microsoft.Authorization/roleDefinitions/{names.CustomRoleGuid(role)}";
        return new FoundationOutputs(
            names.ResourceGroup,
            AzureMockState.GroupId(names.ResourceGroup),
            $"{AzureMockState.GroupId(names.BackupResourceGroup)}/providers/Microsoft.Storage/storageAccounts/{names.BackupStorageAccount}",
            CiIdentities.All.ToImmutableSortedDictionary(ci => ci.Environment, ci => AzureMockState.PrincipalId(names.CiIdentity(ci.Environment))),
            FoundationOutputs.RolesItDefines.ToImmutableSortedDictionary(r => r.Name, r => RoleId(r.Name)),
            tenants.ToImmutableSortedDictionary(t => t.Slug, t => AzureMockState.GroupId(t.ResourceGroup)));
    }

    /// <summary>The output as the engine hands a StackReference: a JSON object as nested dictionaries.</summary>
    public static object Recorded(string platformStack) => Engine(JsonDocument.Parse(For(platformStack).ToJson()).RootElement);

    private static object Engine(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().ToImmutableDictionary(p => p.Name, p => Engine(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().Select(Engine).ToImmutableArray(),
        _ => value.GetString()!,
    };
}
