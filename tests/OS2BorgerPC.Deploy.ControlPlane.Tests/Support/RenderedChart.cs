using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests.Support;

/// <summary>One object of a rendered chart: its YAML as Helm printed it, the same as JSON, and its Helm hook annotations.</summary>
public sealed record ChartObject(string ApiVersion, string Kind, string? Namespace, string Name, string Yaml, JsonObject Json)
{
    private string? Annotation(string key) => Json["metadata"]?["annotations"]?[key]?.GetValue<string>();

    /// <summary>The hook events (<c>helm.sh/hook</c>, e.g. "pre-install"); empty for an object of the release itself.</summary>
    public IReadOnlyList<string> Hooks => Annotation("helm.sh/hook")?.Split(',', StringSplitOptions.TrimEntries) ?? [];

    public int HookWeight => int.Parse(Annotation("helm.sh/hook-weight") ?? "0", CultureInfo.InvariantCulture);

    /// <summary>Helm deletes the hook once its Jobs succeeded (<c>helm.sh/hook-delete-policy: hook-succeeded</c>).</summary>
    public bool DeletedOnSuccess => Annotation("helm.sh/hook-delete-policy")?.Split(',', StringSplitOptions.TrimEntries).Contains("hook-succeeded") == true;

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}

/// <summary>A Secret, ConfigMap or ServiceAccount a pod template needs (not marked <c>optional</c>).</summary>
public sealed record PodReference(string Kind, string Namespace, string Name, string UsedBy)
{
    public override string ToString() => $"{Kind} {Namespace}/{Name} (used by {UsedBy})";
}

/// <summary>
/// A pinned chart as <c>helm template</c> rendered it (charts/README.md): <c>rendered.yaml</c> and the values it was
/// rendered with (<c>values.yaml</c>).
/// </summary>
public sealed class RenderedChart(string folder, string release, string ns, IReadOnlyList<ChartObject> objects)
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "charts");

    public string Release => release;

    public string Namespace => ns;

    public IReadOnlyList<ChartObject> Objects => objects;

    public JsonNode Values => ToJson(Load(Path.Combine(Folder, folder, "values.yaml")).Single().RootNode)!;

    public static RenderedChart Read(string folder, string release, string ns) =>
        new(folder, release, ns, Load(Path.Combine(Folder, folder, "rendered.yaml"))
            .Where(document => document.RootNode is YamlMappingNode)
            .Select(document =>
            {
                var json = (JsonObject)ToJson(document.RootNode)!;
                var writer = new StringWriter();
                new YamlStream(document).Save(writer, assignAnchors: false);
                return new ChartObject(json["apiVersion"]!.GetValue<string>(), json["kind"]!.GetValue<string>(),
                    json["metadata"]?["namespace"]?.GetValue<string>(), json["metadata"]!["name"]!.GetValue<string>(), writer.ToString(), json);
            }).ToList());

    /// <summary>
    /// What each pod template of <paramref name="workload"/> needs: its service account (the namespace's <c>default</c>
    /// when unset), the Secrets and ConfigMaps of its volumes (projected too), <c>envFrom</c> and <c>env[].valueFrom</c>,
    /// leaving out those marked <c>optional: true</c> (the kubelet starts the pod without them).
    /// </summary>
    public IEnumerable<PodReference> ReferencesOf(ChartObject workload)
    {
        if (workload.Json["spec"]?["template"]?["spec"] is not JsonObject pod)
        {
            yield break;
        }
        var space = workload.Namespace ?? ns;
        PodReference Ref(string kind, string name) => new(kind, space, name, workload.ToString());
        yield return Ref("ServiceAccount", pod["serviceAccountName"]?.GetValue<string>() ?? "default");
        static bool Optional(JsonNode? source) => source?["optional"]?.GetValue<bool>() == true;
        foreach (var volume in Items(pod["volumes"]))
        {
            var sources = new[] { volume }.Concat(Items(volume["projected"]?["sources"]));
            foreach (var source in sources)
            {
                if (source["secret"] is { } secret && !Optional(secret))
                {
                    yield return Ref("Secret", (secret["secretName"] ?? secret["name"])!.GetValue<string>());
                }
                if (source["configMap"] is { } configMap && !Optional(configMap))
                {
                    yield return Ref("ConfigMap", configMap["name"]!.GetValue<string>());
                }
            }
        }
        foreach (var container in Items(pod["containers"]).Concat(Items(pod["initContainers"])))
        {
            foreach (var from in Items(container["envFrom"]))
            {
                if (from["secretRef"] is { } secret && !Optional(secret))
                {
                    yield return Ref("Secret", secret["name"]!.GetValue<string>());
                }
                if (from["configMapRef"] is { } configMap && !Optional(configMap))
                {
                    yield return Ref("ConfigMap", configMap["name"]!.GetValue<string>());
                }
            }
            foreach (var env in Items(container["env"]))
            {
                if (env["valueFrom"]?["secretKeyRef"] is { } secret && !Optional(secret))
                {
                    yield return Ref("Secret", secret["name"]!.GetValue<string>());
                }
                if (env["valueFrom"]?["configMapKeyRef"] is { } configMap && !Optional(configMap))
                {
                    yield return Ref("ConfigMap", configMap["name"]!.GetValue<string>());
                }
            }
        }
    }

    private static IEnumerable<JsonNode> Items(JsonNode? array) => array is JsonArray items ? items.Select(i => i!) : [];

    private static IList<YamlDocument> Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return stream.Documents;
    }

    /// <summary>YAML as JSON: a quoted scalar stays a string, a plain one is read as YAML 1.2's core schema reads it.</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => scalar.Value switch
        {
            null or "" or "null" or "~" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            var text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            var text => JsonValue.Create(text),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}."),
    };
}
