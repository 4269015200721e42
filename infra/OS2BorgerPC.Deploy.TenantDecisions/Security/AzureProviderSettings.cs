namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>
/// How both programs configure the Azure provider (one explicit provider per program, never the default one):
/// no storage account the kit makes is ever reached on its data plane with a shared key, or at all.
/// Facts of terraform-provider-azurerm v4.80.0, the version Pulumi.Azure 6.39.0 wraps (pulumi-azure
/// provider/go.mod replaces it with the upstream submodule at 6556cf1, tag v4.80.0).
/// </summary>
public static class AzureProviderSettings
{
    /// <summary>The provider resource's name in both programs.</summary>
    public const string ProviderName = "azure";

    /// <summary>
    /// internal/services/storage/client/data_plane.go (configureDataPlane): a data-plane call is signed with an Entra ID
    /// token only when storage_use_azuread is set, else with the account key. The state and backup accounts have
    /// shared keys off: a key-signed call gets 403.
    /// </summary>
    public const bool StorageUseAzureAd = true;

    /// <summary>
    /// internal/services/storage/storage_account_resource.go (create, read): the blob, queue, file and static-website
    /// pollers of storage_account_data_plane_helpers.go and the queue/static-website property reads run only while
    /// features.storage.data_plane_available is true (its default, internal/features/defaults.go). Off: nothing
    /// reaches the data plane, which the deployer could not reach anyway (no data role on the state and backup
    /// accounts; the tenants' accounts deny every network but the cluster subnet). The price: queue_properties and
    /// static_website cannot be set (the resource's CustomizeDiff refuses them), and the kit sets neither.
    /// </summary>
    public const bool StorageDataPlaneAvailable = false;

    /// <summary>
    /// Which resource providers the provider registers on the subscription before its first call (resource_provider_registrations).
    /// pulumi-azure v6.39.0 sets none itself (provider/resources.go only defaults skip_provider_registration to false), so azurerm
    /// v4.80.0's 4.x default applies: "legacy", which lists the subscription's providers and registers every one it supports that
    /// is not registered yet (internal/provider/provider.go, azureProvider and buildClient; internal/resourceproviders). Registering
    /// is a subscription-level write (<c>&lt;namespace&gt;/register/action</c>): only the foundation, run by an operator (Owner),
    /// does it, so every provider is registered before the platform's or a tenant's first up. The platform and tenant identities
    /// write only in their resource groups: their programs register nothing ("none"), else an unregistered provider would fail
    /// their up with 403. Even "none" lists the subscription's providers on every run (EnsureRegistered's populateCache, while
    /// features.enhanced_validation.resource_providers is on, its 4.x default: internal/features/defaults.go), a read that every
    /// CI identity's Reader on the subscription covers.
    /// </summary>
    public static string ResourceProviderRegistrations(AzureProgram program) => program switch
    {
        AzureProgram.Foundation => "legacy",
        AzureProgram.Platform or AzureProgram.Tenant => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(program), program, null),
    };
}

/// <summary>Which program configures the Azure provider.</summary>
public enum AzureProgram
{
    Foundation,
    Platform,
    Tenant,
}
