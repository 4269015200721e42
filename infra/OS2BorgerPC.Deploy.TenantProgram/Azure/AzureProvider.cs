using OS2BorgerPC.Deploy.TenantDecisions.Security;
using Pulumi.Azure;
using Pulumi.Azure.Inputs;

namespace OS2BorgerPC.Deploy.TenantProgram.Azure;

/// <summary>The tenant program's Azure provider, configured as <see cref="AzureProviderSettings"/> decides.</summary>
internal static class AzureProvider
{
    public static Provider Create() => new(AzureProviderSettings.ProviderName, new ProviderArgs
    {
        StorageUseAzuread = AzureProviderSettings.StorageUseAzureAd,
        Features = new ProviderFeaturesArgs
        {
            Storage = new ProviderFeaturesStorageArgs { DataPlaneAvailable = AzureProviderSettings.StorageDataPlaneAvailable },
        },
    });
}
