using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>
/// What Azure answers for a resource the programs create, in the formats the real provider returns, so a mistake in
/// which output a program reads shows under mocks: ARM IDs (<c>/subscriptions/&lt;guid&gt;/resourceGroups/&lt;rg&gt;/providers/&lt;ns&gt;/&lt;type&gt;/&lt;name&gt;</c>,
/// child resources under their parent's ID), a Key Vault key's URLs (id, versionless_id) next to its ARM IDs
/// (resource_id, resource_versionless_id; azurerm v4.80.0 key_vault_key_resource.go), managed identities' principal
/// and client IDs as GUIDs, and the zone Azure picks for a flexible server that names none.
/// </summary>
public static class AzureMockState
{
    public const string Subscription = "00000000-0000-0000-0000-000000000000";

    /// <summary>The Entra tenant of every mocked identity.</summary>
    public const string EntraTenant = "22222222-2222-2222-2222-222222222222";

    /// <summary>The zone Azure picks for a server that names none (the real provider then reads it back).</summary>
    public const string PickedZone = "3";

    /// <summary>Resource types whose ID is <c>/subscriptions/…/resourceGroups/&lt;rg&gt;/providers/&lt;type&gt;/&lt;name&gt;</c>.</summary>
    private static readonly ImmutableDictionary<string, string> GroupResources = new Dictionary<string, string>
    {
        ["azure:storage/account:Account"] = "Microsoft.Storage/storageAccounts",
        ["azure:keyvault/keyVault:KeyVault"] = "Microsoft.KeyVault/vaults",
        ["azure:network/virtualNetwork:VirtualNetwork"] = "Microsoft.Network/virtualNetworks",
        ["azure:network/natGateway:NatGateway"] = "Microsoft.Network/natGateways",
        ["azure:network/publicIp:PublicIp"] = "Microsoft.Network/publicIPAddresses",
        ["azure:privatedns/zone:Zone"] = "Microsoft.Network/privateDnsZones",
        ["azure:dns/zone:Zone"] = "Microsoft.Network/dnsZones",
        ["azure:containerservice/kubernetesCluster:KubernetesCluster"] = "Microsoft.ContainerService/managedClusters",
        ["azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace"] = "Microsoft.OperationalInsights/workspaces",
        ["azure:authorization/userAssignedIdentity:UserAssignedIdentity"] = "Microsoft.ManagedIdentity/userAssignedIdentities",
        ["azure:postgresql/flexibleServer:FlexibleServer"] = "Microsoft.DBforPostgreSQL/flexibleServers",
        ["azure:monitoring/dataCollectionRule:DataCollectionRule"] = "Microsoft.Insights/dataCollectionRules",
        ["azure:containerservice/registry:Registry"] = "Microsoft.ContainerRegistry/registries",
    }.ToImmutableDictionary();

    /// <summary>A GUID that stands for what Azure computes from <paramref name="seed"/> (stable, so tests can name it).</summary>
    public static string Guid(string seed) => new Guid(MD5.HashData(Encoding.UTF8.GetBytes(seed))).ToString();

    /// <summary>The principal ID Azure gives the managed identity named <paramref name="name"/>.</summary>
    public static string PrincipalId(string name) => Guid("principal/" + name);

    /// <summary>The client ID Azure gives the managed identity named <paramref name="name"/>.</summary>
    public static string ClientId(string name) => Guid("client/" + name);

    /// <summary>The object ID of the kubelet identity AKS makes for cluster <paramref name="cluster"/>.</summary>
    public static string KubeletObjectId(string cluster) => Guid("kubelet/" + cluster);

    /// <summary>A role definition's GUID: the one the program sets (role_definition_id), else one Azure picks (azurerm v4.80.0 role_definition_resource.go: a random UUID).</summary>
    private static string RoleDefinitionGuid(ImmutableDictionary<string, object> inputs, string name) => Text(inputs, "roleDefinitionId") ?? Guid(name);

    /// <summary>The resource group's ARM ID.</summary>
    public static string GroupId(string group) => $"/subscriptions/{Subscription}/resourceGroups/{group}";

    /// <summary>The id and state an azure resource registration gets, or null for another provider's type.</summary>
    public static (string Id, ImmutableDictionary<string, object> State)? For(MockResourceArgs args)
    {
        var type = args.Type ?? "";
        if (!type.StartsWith("azure:", StringComparison.Ordinal))
        {
            return null;
        }
        var inputs = args.Inputs;
        var name = Text(inputs, "name") ?? args.Name ?? "";
        var group = Text(inputs, "resourceGroupName") ?? "rg";
        var state = inputs.ToBuilder();
        var id = type switch
        {
            "azure:core/resourceGroup:ResourceGroup" => GroupId(name),
            "azure:storage/container:Container" => $"{Text(inputs, "storageAccountId")}/blobServices/default/containers/{name}",
            "azure:storage/share:Share" => $"{Text(inputs, "storageAccountId")}/fileServices/default/shares/{name}",
            "azure:storage/managementPolicy:ManagementPolicy" => $"{Text(inputs, "storageAccountId")}/managementPolicies/default",
            "azure:network/subnet:Subnet" => $"{GroupId(group)}/providers/Microsoft.Network/virtualNetworks/{Text(inputs, "virtualNetworkName")}/subnets/{name}",
            "azure:privatedns/zoneVirtualNetworkLink:ZoneVirtualNetworkLink" =>
                $"{GroupId(group)}/providers/Microsoft.Network/privateDnsZones/{Text(inputs, "privateDnsZoneName")}/virtualNetworkLinks/{name}",
            "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool" => $"{Text(inputs, "kubernetesClusterId")}/agentPools/{name}",
            "azure:armmsi/federatedIdentityCredential:FederatedIdentityCredential" =>
                $"{Text(inputs, "parentId") ?? Text(inputs, "userAssignedIdentityId")}/federatedIdentityCredentials/{name}",
            "azure:postgresql/flexibleServerDatabase:FlexibleServerDatabase" => $"{Text(inputs, "serverId")}/databases/{name}",
            "azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration" => $"{Text(inputs, "serverId")}/configurations/{name}",
            "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule" => $"{Text(inputs, "serverId")}/firewallRules/{name}",
            "azure:containerservice/registryCacheRule:RegistryCacheRule" => $"{Text(inputs, "containerRegistryId")}/cacheRules/{name}",
            "azure:management/lock:Lock" => $"{Text(inputs, "scope")}/providers/Microsoft.Authorization/locks/{name}",
            "azure:authorization/assignment:Assignment" =>
                $"{Text(inputs, "scope")}/providers/Microsoft.Authorization/roleAssignments/{Guid(args.Name + Text(inputs, "scope"))}",
            "azure:authorization/roleDefinition:RoleDefinition" =>
                $"/subscriptions/{Subscription}/providers/Microsoft.Authorization/roleDefinitions/{RoleDefinitionGuid(inputs, name)}",
            "azure:keyvault/key:Key" => $"{VaultUrl(inputs)}/keys/{name}/{Guid("version/" + name).Replace("-", "")}",
            _ when GroupResources.TryGetValue(type, out var armType) => $"{GroupId(group)}/providers/{armType}/{name}",
            _ => $"{GroupId(group)}/providers/Microsoft.Resources/{args.Name}/{name}",
        };
        switch (type)
        {
            case "azure:keyvault/key:Key":
                // The URLs are the data plane's names for the key; only the resource_* IDs are ARM IDs.
                state["versionlessId"] = $"{VaultUrl(inputs)}/keys/{name}";
                state["resourceId"] = $"{Text(inputs, "keyVaultId")}/keys/{name}/versions/{Guid("version/" + name).Replace("-", "")}";
                state["resourceVersionlessId"] = $"{Text(inputs, "keyVaultId")}/keys/{name}";
                break;
            case "azure:containerservice/registry:Registry":
                // azurerm v4.80.0 container_registry_resource.go reads login_server from the registry: <name>.azurecr.io, lowercase.
                state["loginServer"] = $"{name.ToLowerInvariant()}.azurecr.io";
                break;
            case "azure:containerservice/kubernetesCluster:KubernetesCluster":
                // The kubelet identity AKS makes in the node resource group when the cluster names none.
                state["kubeletIdentity"] = ImmutableDictionary<string, object>.Empty
                    .Add("objectId", KubeletObjectId(name)).Add("clientId", ClientId("kubelet/" + name))
                    .Add("userAssignedIdentityId", $"{GroupId($"MC_{group}_{name}")}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}-agentpool");
                break;
            case "azure:keyvault/keyVault:KeyVault":
                state["vaultUri"] = $"https://{name}.vault.azure.net/";
                break;
            case "azure:authorization/userAssignedIdentity:UserAssignedIdentity":
                state["principalId"] = PrincipalId(name);
                state["clientId"] = ClientId(name);
                state["tenantId"] = EntraTenant;
                break;
            case "azure:authorization/roleDefinition:RoleDefinition":
                state["roleDefinitionResourceId"] = id;
                state["roleDefinitionId"] = RoleDefinitionGuid(inputs, name);
                break;
            case "azure:postgresql/flexibleServer:FlexibleServer":
                state["fqdn"] = $"{name}.postgres.database.azure.com";
                if (!inputs.ContainsKey("zone"))
                {
                    state["zone"] = PickedZone;
                }
                break;
        }
        return (id, state.ToImmutable());
    }

    private static string VaultUrl(ImmutableDictionary<string, object> inputs)
    {
        var vaultId = Text(inputs, "keyVaultId") ?? "";
        return $"https://{vaultId[(vaultId.LastIndexOf('/') + 1)..]}.vault.azure.net";
    }

    private static string? Text(ImmutableDictionary<string, object> inputs, string key) => inputs.GetValueOrDefault(key) as string;
}
