using System.Collections;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace OS2BorgerPC.Deploy.TenantDecisions.Rendering;

/// <summary>
/// One Kubernetes object as plain data, what <c>kubectl apply</c> takes: made from the type token and the
/// inputs a Pulumi program registered for it (the Kubernetes SDK's inputs are already the API's camelCase
/// fields). A Secret's values are never carried: each is replaced by <see cref="SecretPlaceholder"/>.
/// </summary>
public sealed record KubernetesManifest(string ApiVersion, string Kind, string? Namespace, string Name, JsonObject Body)
{
    /// <summary>What a rendered Secret holds instead of each value (a valid value, so the object still applies).</summary>
    public const string SecretPlaceholder = "(secret: set by pulumi up, never rendered)";

    private const string Provider = "kubernetes";

    /// <summary>Pulumi.Kubernetes tokens whose module is not an API group: Helm, YAML and Kustomize components.</summary>
    private static readonly HashSet<string> ComponentModules = ["helm.sh", "yaml", "kustomize"];

    /// <summary>The API group (empty for the core group).</summary>
    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";

    public string Version => ApiVersion[(ApiVersion.IndexOf('/') + 1)..];

    /// <summary>How messages name the object: <c>Deployment os2borgerpc-demo/admin-site</c>.</summary>
    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";

    /// <summary>
    /// The object a Pulumi.Kubernetes resource stands for, or null when the registration is none
    /// (a component, a provider, another provider's resource, a Helm release or a YAML group).
    /// Type tokens are <c>kubernetes:&lt;group&gt;/&lt;version&gt;:&lt;Kind&gt;</c>, the core group as <c>core</c>;
    /// a <c>…Patch</c> resource stands for the object it patches.
    /// </summary>
    public static KubernetesManifest? FromRegistration(string typeToken, IReadOnlyDictionary<string, object> inputs)
    {
        var parts = typeToken.Split(':');
        if (parts is not [Provider, var module, var kind] || module.Split('/') is not [var group, var version] || ComponentModules.Contains(group))
        {
            return null;
        }
        var apiVersion = group == "core" ? version : $"{group}/{version}";
        kind = kind.EndsWith("Patch", StringComparison.Ordinal) ? kind[..^"Patch".Length] : kind;
        var body = (JsonObject)ToJson(inputs)!;
        foreach (var (field, expected) in new[] { ("apiVersion", apiVersion), ("kind", kind) })
        {
            if (body[field] is { } given && given.GetValue<string>() != expected)
            {
                throw new InvalidOperationException($"{typeToken} was registered with {field} '{given}', not '{expected}'.");
            }
        }
        var ordered = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (field, value) in body.ToList())
        {
            if (field is not ("apiVersion" or "kind"))
            {
                body.Remove(field);
                ordered[field] = value;
            }
        }
        var metadata = ordered["metadata"] as JsonObject
            ?? throw new InvalidOperationException($"{typeToken} was registered without metadata.");
        var name = metadata["name"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"{typeToken} was registered without metadata.name (Pulumi would add a random suffix: name every object).");
        var manifest = new KubernetesManifest(apiVersion, kind, metadata["namespace"]?.GetValue<string>(), name, ordered);
        return manifest is { ApiVersion: "v1", Kind: "Secret" } ? manifest.WithoutSecretValues() : manifest;
    }

    /// <summary>Every Kubernetes object among a program's registrations, in registration order.</summary>
    public static IReadOnlyList<KubernetesManifest> FromRegistrations(IEnumerable<(string Type, IReadOnlyDictionary<string, object> Inputs)> registrations) =>
        registrations.Select(r => FromRegistration(r.Type, r.Inputs)).OfType<KubernetesManifest>().ToList();

    /// <summary>The object as one YAML document; multi-line text (scripts, configs) as literal blocks.</summary>
    public string ToYaml() => Yaml.Serialize(ToPlain(Body));

    /// <summary>The object as JSON (also valid YAML, e.g. as an apply patch).</summary>
    public string ToJson() => Body.ToJsonString();

    /// <summary>
    /// A file name unique within one tenant that begins with the object's <see cref="ApplyOrder"/> stage, so that a
    /// folder of them applies in file-name order: <c>6-apps-v1-deployment-admin-site.yaml</c>.
    /// </summary>
    public string FileName =>
        $"{ApplyOrder.Stage(this)}-{(Group == "" ? "core" : Group)}-{Version}-{Kind}-{Name}.yaml".ToLowerInvariant();

    /// <summary>Data and stringData merged into stringData, each value replaced: the Secret still applies, and shows its keys.</summary>
    private KubernetesManifest WithoutSecretValues()
    {
        var body = (JsonObject)Body.DeepClone();
        var keys = new[] { "data", "stringData" }
            .SelectMany(field => body[field] is JsonObject values ? values.Select(pair => pair.Key).ToList() : [])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        body.Remove("data");
        body.Remove("stringData");
        if (keys.Count > 0)
        {
            body["stringData"] = new JsonObject(keys.Select(key => KeyValuePair.Create(key, (JsonNode?)JsonValue.Create(SecretPlaceholder))));
        }
        return this with { Body = body };
    }

    /// <summary>
    /// A registered input value as JSON. Pulumi hands numbers over as doubles: whole ones become integers,
    /// as the API's integer fields require. Nulls are left out; keys are sorted, as <c>kubectl get -o yaml</c>
    /// shows them, so the same program renders the same text.
    /// </summary>
    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        double number when Math.Floor(number) == number && Math.Abs(number) < 1e15 => JsonValue.Create((long)number),
        double number => JsonValue.Create(number),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        IEnumerable<KeyValuePair<string, object>> map => new JsonObject(map
            .Where(pair => pair.Value is not null)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => KeyValuePair.Create(pair.Key, ToJson(pair.Value)))),
        IEnumerable list => new JsonArray(list.Cast<object?>().Where(item => item is not null).Select(ToJson).ToArray()),
        _ => throw new InvalidOperationException($"An input of type {value.GetType().Name} has no Kubernetes representation."),
    };

    /// <summary>JSON as plain dictionaries, lists and scalars, for the YAML serializer.</summary>
    private static object? ToPlain(JsonNode? node) => node switch
    {
        JsonObject obj => obj.ToDictionary(pair => pair.Key, pair => ToPlain(pair.Value)),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<long>(out var integer) => integer,
        JsonValue value => value.GetValue<double>(),
        _ => null,
    };

    private static readonly ISerializer Yaml = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .WithEventEmitter(next => new LiteralMultilineEmitter(next))
        .Build();

    /// <summary>Multi-line strings as literal blocks (the emitter falls back to quotes where YAML cannot).</summary>
    private sealed class LiteralMultilineEmitter(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Value is string text && text.Contains('\n'))
            {
                eventInfo = new ScalarEventInfo(eventInfo.Source) { Style = ScalarStyle.Literal };
            }
            base.Emit(eventInfo, emitter);
        }
    }
}
