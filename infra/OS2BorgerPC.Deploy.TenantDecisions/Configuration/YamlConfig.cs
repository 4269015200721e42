using System.Globalization;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OS2BorgerPC.Deploy.TenantDecisions.Configuration;

/// <summary>Reads Pulumi's YAML files (project and stack files) into JSON nodes, as Pulumi types them.</summary>
internal static class YamlConfig
{
    /// <summary>The top-level mapping of a YAML file, or a problem saying why it cannot be read.</summary>
    public static (YamlMappingNode? Root, Problem? Problem) ReadMapping(string path, string displayPath)
    {
        // A fleet repository may lack a project file (e.g. the platform project's): a problem, not a stack trace.
        if (!File.Exists(path))
        {
            return (null, new Problem(displayPath, "(file)", "The file does not exist.",
                "Copy it from the OS2BorgerPC.Deploy repository, or run the command in a clone of it."));
        }
        using var reader = new StreamReader(path);
        return ReadMapping(reader, displayPath);
    }

    public static (YamlMappingNode? Root, Problem? Problem) ReadMapping(TextReader reader, string displayPath)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(reader);
            if (stream.Documents.Count == 0)
            {
                return (new YamlMappingNode(), null);
            }
            // Every reader here takes keys as text; a list or mapping as key ('? [a]') would end in a cast exception.
            if (stream.Documents[0].AllNodes.OfType<YamlMappingNode>().SelectMany(m => m.Children.Keys).FirstOrDefault(k => k is not YamlScalarNode) is { } key)
            {
                return (null, new Problem(displayPath, $"(line {key.Start.Line}, column {key.Start.Column})",
                    "A key is a list or mapping, not a name.", "Write every key as a plain name, e.g. slug: aarhus."));
            }
            return stream.Documents[0].RootNode is YamlMappingNode mapping
                ? (mapping, null)
                : (null, new Problem(displayPath, "(file)", "The file is not a YAML mapping.", "Start the file with 'config:' and indent the keys below it."));
        }
        catch (YamlException e)
        {
            return (null, new Problem(displayPath, $"(line {e.Start.Line}, column {e.Start.Column})",
                $"The file is not valid YAML: {e.Message}", "Correct the YAML syntax at that position (indentation, quotes, colons)."));
        }
    }

    public static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    /// <summary>
    /// A YAML node as JSON: plain scalars typed as YAML 1.2 core types, quoted ones as strings, and
    /// <c>secure:</c> mappings as <see cref="SecureValue"/> markers.
    /// </summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlScalarNode scalar => Scalar(scalar),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlMappingNode mapping when IsSecure(mapping) => SecureValue.Create(((YamlScalarNode)mapping.Children.Single().Value).Value ?? ""),
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? "", ToJson(pair.Value)))),
        _ => null,
    };

    private static bool IsSecure(YamlMappingNode mapping) =>
        mapping.Children.Count == 1
        && mapping.Children.Single().Key is YamlScalarNode { Value: SecureValue.Marker }
        && mapping.Children.Single().Value is YamlScalarNode;

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }
        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when text.Contains('.') && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => JsonValue.Create(real),
            _ => JsonValue.Create(text),
        };
    }
}
