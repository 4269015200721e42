using System.Text.Json.Nodes;

namespace OS2BorgerPC.Deploy.TenantDecisions.Configuration;

/// <summary>
/// The configuration of one stack as Pulumi resolves it: the project's defaults from Pulumi.yaml,
/// overlaid key by key by the stack file.
/// </summary>
/// <param name="StackName">The stack (tenant) name.</param>
/// <param name="StackFile">The stack file, as named in messages (e.g. <c>stacks/Pulumi.aarhus.yaml</c>).</param>
/// <param name="Values">Fully qualified key (<c>os2borgerpc:tenant</c>) to value. Values written as
/// <c>secure:</c> are present as <see cref="SecureValue"/> markers, never decrypted.</param>
/// <param name="Origins">Which file each key came from; keys missing here came from the stack file.</param>
public sealed record StackConfig(
    string StackName,
    string StackFile,
    IReadOnlyDictionary<string, JsonNode?> Values,
    IReadOnlyDictionary<string, string> Origins)
{
    public JsonNode? Get(string key) => Values.GetValueOrDefault(ConfigKeys.Qualified(key));

    public bool Has(string key) => Values.ContainsKey(ConfigKeys.Qualified(key));

    public string FileOf(string key) => Origins.GetValueOrDefault(ConfigKeys.Qualified(key), StackFile);
}

/// <summary>How an encrypted <c>secure:</c> value is represented: present, never readable here.</summary>
public static class SecureValue
{
    public const string Marker = "secure";

    public static JsonObject Create(string ciphertext) => new() { [Marker] = ciphertext };

    public static bool Is(JsonNode? node) =>
        node is JsonObject obj && obj.Count == 1 && obj.ContainsKey(Marker);
}
