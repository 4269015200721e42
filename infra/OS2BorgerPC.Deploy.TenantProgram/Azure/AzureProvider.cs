using OS2BorgerPC.Deploy.TenantDecisions.Security;
using Pulumi.Azure;
using Pulumi.Azure.Inputs;

namespace OS2BorgerPC.Deploy.AzureProviders;

/// <summary>
/// Both programs' Azure provider, configured as <see cref="AzureProviderSettings"/> decides (the platform program
/// compiles this file too: one translation, no Pulumi library shared between the programs).
/// </summary>
internal static class AzureProvider
{
    public static Provider Create(AzureProgram program) => new(AzureProviderSettings.ProviderName, new ProviderArgs
    {
        StorageUseAzuread = AzureProviderSettings.StorageUseAzureAd,
        ResourceProviderRegistrations = AzureProviderSettings.ResourceProviderRegistrations(program),
        Features = new ProviderFeaturesArgs
        {
            Storage = new ProviderFeaturesStorageArgs { DataPlaneAvailable = AzureProviderSettings.StorageDataPlaneAvailable },
        },
    });
}
