using System.Text.Json;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>The Azure provider's settings as the engine receives them (json inputs arrive as JSON text).</summary>
public static class ProviderSettings
{
    public static bool IsAzureProvider(string? reference) => reference?.Contains("pulumi:providers:azure::", StringComparison.Ordinal) == true;

    public static bool StorageUseAzureAd(RegisteredInputs provider) => Bool(provider.Inputs["storageUseAzuread"]);

    public static string? ResourceProviderRegistrations(RegisteredInputs provider) => provider.Inputs.GetValueOrDefault("resourceProviderRegistrations") as string;

    public static bool DataPlaneAvailable(RegisteredInputs provider)
    {
        var features = provider.Inputs["features"];
        using var json = JsonDocument.Parse(features as string ?? JsonSerializer.Serialize(features));
        return json.RootElement.GetProperty("storage").GetProperty("dataPlaneAvailable").GetBoolean();
    }

    private static bool Bool(object value) => value is bool b ? b : bool.Parse((string)value);
}
