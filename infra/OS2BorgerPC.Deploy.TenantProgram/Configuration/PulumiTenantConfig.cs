using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using Pulumi;

namespace OS2BorgerPC.Deploy.TenantProgram.Configuration;

/// <summary>
/// The tenant of the running stack, read from Pulumi's config (already resolved by the engine: project
/// defaults, then the stack file) and validated by TenantDecisions, exactly as the CLI validates it.
/// </summary>
public static class PulumiTenantConfig
{
    /// <param name="BackupS3Key">The tenant's own S3 key (secret), where the stack holds one; whether its platform needs one is the platform's check.</param>
    public sealed record Loaded(Tenant Tenant, Output<string>? EmailPassword, string StackFile, Components.S3AccessKey? BackupS3Key);

    public static Loaded Load()
    {
        var stack = Pulumi.Deployment.Instance.StackName;
        var config = new Config(ConfigKeys.Namespace);
        var values = new Dictionary<string, JsonNode?>();
        foreach (var key in ConfigKeys.FleetDefaults.All)
        {
            if (config.Get(key) is { } value)
            {
                values[ConfigKeys.Qualified(key)] = JsonValue.Create(value);
            }
        }
        if (config.GetObject<JsonElement?>(ConfigKeys.TenantKey) is { } tenant)
        {
            values[ConfigKeys.Qualified(ConfigKeys.TenantKey)] = JsonNode.Parse(tenant.GetRawText());
        }
        // Read as secrets only; the CLI's check has already refused them in plain text. The library sees that they are set, never their values.
        var secrets = new Dictionary<string, Output<string>>();
        foreach (var key in ConfigKeys.Secrets)
        {
            if (config.GetSecret(key) is { } secret)
            {
                secrets[key] = secret;
                values[ConfigKeys.Qualified(key)] = SecureValue.Create("");
            }
        }

        var stackFile = $"stacks/Pulumi.{stack}.yaml";
        var result = TenantLoader.Load(new StackConfig(stack, stackFile, values, new Dictionary<string, string>()));
        if (result.Tenant is null)
        {
            // RunException: Pulumi prints the message without a stack trace.
            throw new RunException(Problem.Refusal($"The tenant configuration of stack '{stack}'", result.Problems));
        }
        var s3Key = secrets.TryGetValue(ConfigKeys.BackupS3AccessKeyId, out var id) && secrets.TryGetValue(ConfigKeys.BackupS3SecretAccessKey, out var secretKey)
            ? new Components.S3AccessKey(id, secretKey)
            : null;
        return new Loaded(result.Tenant, secrets.GetValueOrDefault(ConfigKeys.EmailPassword), stackFile, s3Key);
    }
}
