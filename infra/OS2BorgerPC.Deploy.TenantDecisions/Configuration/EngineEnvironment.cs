using System.Text.Json;
using System.Text.Json.Nodes;

namespace OS2BorgerPC.Deploy.TenantDecisions.Configuration;

/// <summary>
/// A stack's config as the Pulumi engine hands it to the program: the PULUMI_CONFIG and
/// PULUMI_CONFIG_SECRET_KEYS environment variables. For running the program without the engine
/// (under mocks): every <c>secure:</c> value, which only the engine can decrypt, is handed over as a stand-in.
/// </summary>
public sealed record EngineEnvironment(string Config, string SecretKeys)
{
    public const string ConfigVariable = "PULUMI_CONFIG";
    public const string SecretKeysVariable = "PULUMI_CONFIG_SECRET_KEYS";

    /// <summary>Resolved config, each secret handed over as <paramref name="secretStandIn"/> and named as a secret key.</summary>
    public static EngineEnvironment For(StackConfig config, string secretStandIn)
    {
        var pulumiConfig = new JsonObject();
        var secretKeys = new JsonArray();
        foreach (var (key, value) in config.Values)
        {
            if (SecureValue.Is(value))
            {
                pulumiConfig[key] = secretStandIn;
                secretKeys.Add(key);
            }
            else if (value is not null)
            {
                pulumiConfig[key] = value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String
                    ? scalar.GetValue<string>()
                    : value.ToJsonString();
            }
        }
        return new EngineEnvironment(pulumiConfig.ToJsonString(), secretKeys.ToJsonString());
    }
}
