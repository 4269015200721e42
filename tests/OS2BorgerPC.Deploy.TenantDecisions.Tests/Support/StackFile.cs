using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;

/// <summary>
/// A stack file built in code: a valid tenant, then the change a test is about. Written as JSON,
/// which is YAML, so the real reader parses it.
/// </summary>
internal sealed class StackFile
{
    public const string Stack = "test";
    public const string DisplayPath = "stacks/Pulumi.test.yaml";

    public const string SubnetId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/vnet-aks/subnets/snet-postgres";
    public const string DnsZoneId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aks/providers/Microsoft.Network/privateDnsZones/os2borgerpc.postgres.database.azure.com";
    public const string OidcIssuer = "https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/";
    public const string NodeSubnetId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/vnet-aks/subnets/snet-nodes";

    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    private readonly JsonObject _config = [];

    /// <summary>The smallest valid tenant: everything else comes from the fleet defaults.</summary>
    public static StackFile Kubernetes(string slug = Stack) => new StackFile()
        .Set("tenant", $"{{slug: {slug}, displayName: Test Kommune, hosting: kubernetes, clientSourceRanges: [10.20.0.0/16]}}");

    public static StackFile Azure() => Kubernetes()
        .Set("tenant.hosting", "azure")
        .Set("tenant.azure", $"{{clusterEgressRanges: [20.50.1.0/28], clusterSubnetIds: [{NodeSubnetId}], clusterOidcIssuerUrl: '{OidcIssuer}'}}");

    /// <summary>The tenant's own S3 backup key, as secure values: what a tenant on an S3 platform must hold.</summary>
    public StackFile WithBackupS3Key() =>
        Set("backupS3AccessKeyId", "{secure: 'v1:s3-key-id'}").Set("backupS3SecretAccessKey", "{secure: 'v1:s3-key-secret'}");

    /// <param name="path">A config key without namespace, then nested keys: <c>tenant.adminSite.version</c>.</param>
    /// <param name="yaml">The value as YAML (e.g. <c>[10.0.0.0/8]</c>, <c>{secure: 'v1:x'}</c>); null removes the key.</param>
    public StackFile Set(string path, string? yaml)
    {
        var keys = path.Split('.');
        keys[0] = ConfigKeys.Qualified(keys[0]);
        var parent = _config;
        foreach (var key in keys[..^1])
        {
            parent = parent[key] as JsonObject ?? (JsonObject)(parent[key] = new JsonObject());
        }
        if (yaml is null)
        {
            parent.Remove(keys[^1]);
        }
        else
        {
            parent[keys[^1]] = Parse(yaml);
        }
        return this;
    }

    public string Text => new JsonObject { ["config"] = _config.DeepClone() }.ToJsonString(Options);

    private static JsonNode? Parse(string yaml)
    {
        var (root, problem) = YamlConfig.ReadMapping(new StringReader($"value: {yaml}"), "test input");
        return problem is null
            ? YamlConfig.ToJson(YamlConfig.Child(root!, "value")!)
            : throw new ArgumentException(problem.ToString(), nameof(yaml));
    }
}
