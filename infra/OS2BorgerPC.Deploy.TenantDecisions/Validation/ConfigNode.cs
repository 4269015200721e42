using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;

namespace OS2BorgerPC.Deploy.TenantDecisions.Validation;

/// <summary>
/// One config object being read: typed getters that record a problem instead of throwing, and that
/// remember which keys were read, so every key left over can be reported as unknown.
/// </summary>
internal sealed class ConfigNode
{
    private readonly JsonObject _object;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<Problem> _problems;
    private readonly string _separator;
    private readonly Func<string, string> _fileOf;

    /// <param name="obj">The object to read.</param>
    /// <param name="path">Its config path, e.g. <c>os2borgerpc:tenant</c>.</param>
    /// <param name="separator">Between the path and a key: '.' in objects, ':' after a namespace.</param>
    /// <param name="fileOf">Which file a key was written in.</param>
    /// <param name="problems">Where problems are collected.</param>
    public ConfigNode(JsonObject obj, string path, string separator, Func<string, string> fileOf, List<Problem> problems)
    {
        _object = obj;
        Path = path;
        _separator = separator;
        _fileOf = fileOf;
        _problems = problems;
    }

    /// <summary>The fleet defaults in Pulumi.yaml (<c>os2borgerpc:</c>, namespace stripped), every problem named against that file.</summary>
    public static ConfigNode FleetDefaults(ProjectWorkspace workspace, List<Problem> problems) =>
        new(new JsonObject(workspace.ProjectDefaults
                .Where(pair => pair.Key.StartsWith(ConfigKeys.Namespace + ":", StringComparison.Ordinal))
                .Select(pair => KeyValuePair.Create(pair.Key[(ConfigKeys.Namespace.Length + 1)..], pair.Value?.DeepClone()))),
            ConfigKeys.Namespace, ":", _ => ProjectWorkspace.ProjectFileName, problems);

    public string Path { get; }

    public string KeyOf(string key) => $"{Path}{_separator}{key}";

    public string FileOf(string key) => _fileOf(key);

    public void Report(string key, string message, string fix) => _problems.Add(new Problem(_fileOf(key), KeyOf(key), message, fix));

    public bool Has(string key) => Value(key) is not null;

    /// <summary>A text value; missing gives null (and a problem if <paramref name="requiredFix"/> is given).</summary>
    public string? Text(string key, string? requiredFix = null)
    {
        var node = Value(key);
        if (node is null)
        {
            if (requiredFix is not null)
            {
                Report(key, "is missing.", requiredFix);
            }
            return null;
        }
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>().Trim();
            if (text.Length == 0 && requiredFix is not null)
            {
                Report(key, "is empty.", requiredFix);
                return null;
            }
            return text.Length == 0 ? null : text;
        }
        Report(key, $"must be text, but is {Describe(node)}.", "Write the value in quotes, e.g. key: \"value\".");
        return null;
    }

    /// <summary>A whole number; numeric text is accepted, since Pulumi keeps top-level values as text.</summary>
    public int? Integer(string key, int min, int max)
    {
        var node = Value(key);
        if (node is null)
        {
            return null;
        }
        int? number = node is JsonValue value ? value.GetValueKind() switch
        {
            JsonValueKind.Number when value.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue => (int)l,
            JsonValueKind.Number when value.TryGetValue<int>(out var i) => i,
            JsonValueKind.Number when value.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (int)d,
            JsonValueKind.String when int.TryParse(value.GetValue<string>(), out var parsed) => parsed,
            _ => null,
        } : null;
        if (number is null)
        {
            Report(key, $"must be a whole number, but is {Describe(node)}.", $"Write a number from {min} to {max}.");
            return null;
        }
        if (number < min || number > max)
        {
            Report(key, $"is {number}, outside {min}-{max}.", $"Write a number from {min} to {max}.");
            return null;
        }
        return number;
    }

    /// <summary>true or false; the text "true"/"false" is accepted as well.</summary>
    public bool? Flag(string key)
    {
        var node = Value(key);
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue value)
        {
            if (value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetValue<bool>();
            }
            if (value.GetValueKind() == JsonValueKind.String && bool.TryParse(value.GetValue<string>(), out var parsed))
            {
                return parsed;
            }
        }
        Report(key, $"must be true or false, but is {Describe(node)}.", "Write true or false.");
        return null;
    }

    /// <summary>A list; a single value is not silently taken for a list of one.</summary>
    public JsonArray? List(string key)
    {
        var node = Value(key);
        if (node is null)
        {
            return null;
        }
        if (node is JsonArray array)
        {
            return array;
        }
        Report(key, $"must be a list, but is {Describe(node)}.", "Write one item per line, each starting with '- '.");
        return null;
    }

    /// <summary>Whether a secret key is set, and whether as a <c>secure:</c> value.</summary>
    public SecretState Secret(string key)
    {
        _read.Add(key);
        var node = _object[key];
        return node is null ? SecretState.Missing : SecureValue.Is(node) ? SecretState.Secure : SecretState.PlainText;
    }

    /// <summary>A nested object (empty when missing) to read further.</summary>
    public ConfigNode Child(string key)
    {
        var node = Value(key);
        if (node is not null and not JsonObject)
        {
            Report(key, $"must be a mapping of keys, but is {Describe(node)}.", "Indent its keys below it.");
        }
        var file = _fileOf(key);
        return new ConfigNode(node as JsonObject ?? [], KeyOf(key), ".", _ => file, _problems);
    }

    public void MarkKnown(IEnumerable<string> keys) => _read.UnionWith(keys);

    /// <summary>The keys of a free-form mapping (e.g. StorageClass parameters), each to be read with the typed getters.</summary>
    public IReadOnlyList<string> Keys() => _object.Select(pair => pair.Key).ToList();

    /// <summary>Reports every key that was not read: a misspelt key must never be silently ignored.</summary>
    public void ReportUnknownKeys()
    {
        var known = _read.Order(StringComparer.Ordinal).ToList();
        foreach (var (key, value) in _object)
        {
            if (_read.Contains(key))
            {
                continue;
            }
            if (SecureValue.Is(value) || LooksSecret(key))
            {
                Report(key, "looks like a secret in plain config; the kit never reads secrets from plain config.",
                    $"Remove it. Generated secrets (database password, Django SECRET_KEY, admin password) come from the program; the stack's own secrets ({string.Join(", ", ConfigKeys.Secrets.Select(ConfigKeys.Qualified))}) are set with 'pulumi config set --secret <key> --stack <slug>'.");
                continue;
            }
            var suggestion = known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            Report(key, "is not a known key.", suggestion is not null
                ? $"Did you mean '{suggestion}'? Keys are case-sensitive."
                : $"Remove it, or use one of: {string.Join(", ", known)}.");
        }
    }

    private JsonNode? Value(string key)
    {
        _read.Add(key);
        var node = _object[key];
        if (SecureValue.Is(node))
        {
            Report(key, "is a secure value, but this key is not a secret.", "Write it as plain text.");
            return null;
        }
        return node;
    }

    private static bool LooksSecret(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase)
        || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || key.Contains("token", StringComparison.OrdinalIgnoreCase);

    internal static string Describe(JsonNode node) => node switch
    {
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"the text '{v.GetValue<string>()}'",
        _ => $"'{node.ToJsonString()}'",
    };
}

internal enum SecretState
{
    Missing,
    Secure,
    PlainText,
}
