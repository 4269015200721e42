using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using YamlDotNet.RepresentationModel;

namespace OS2BorgerPC.Deploy.TenantDecisions.Configuration;

/// <summary>
/// The kit's repository as Pulumi sees it: Pulumi.yaml (project name, stack folder, project-level
/// config defaults) and the stack files. Config is resolved as Pulumi resolves it: project defaults,
/// then the stack file, key by key.
/// </summary>
public sealed class ProjectWorkspace
{
    public const string ProjectFileName = "Pulumi.yaml";

    private readonly string _displayRoot;

    private ProjectWorkspace(string root, string projectName, string stackConfigDir,
        IReadOnlyDictionary<string, JsonNode?> projectDefaults, string displayRoot)
    {
        Root = root;
        _displayRoot = displayRoot;
        ProjectFile = Display(Path.Combine(root, ProjectFileName));
        ProjectName = projectName;
        StackConfigDir = stackConfigDir;
        ProjectDefaults = projectDefaults;
    }

    /// <summary>The folder that holds Pulumi.yaml.</summary>
    public string Root { get; }

    /// <summary>Its Pulumi.yaml as messages name it (the platform project's: infra/OS2BorgerPC.Deploy.PlatformProgram/Pulumi.yaml).</summary>
    public string ProjectFile { get; }

    public string ProjectName { get; }

    /// <summary>Absolute path of the folder with the stack files.</summary>
    public string StackConfigDir { get; }

    /// <summary>Project-level config from Pulumi.yaml, fully qualified keys.</summary>
    public IReadOnlyDictionary<string, JsonNode?> ProjectDefaults { get; }

    /// <summary>The workspace that holds <paramref name="directory"/>: the nearest folder upwards with Pulumi.yaml, as pulumi itself finds it.</summary>
    public static ProjectWorkspace Find(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ProjectFileName)))
            {
                return Open(dir.FullName);
            }
        }
        throw new InvalidConfigurationException([new Problem(directory, "(workspace)",
            $"No {ProjectFileName} here or in any folder above.",
            "Run the command inside a clone of the OS2BorgerPC.Deploy repository.")]);
    }

    /// <param name="root">The folder with the project's Pulumi.yaml.</param>
    /// <param name="displayRoot">What paths in messages are relative to (the repository root); the project folder if not given.</param>
    public static ProjectWorkspace Open(string root, string? displayRoot = null)
    {
        var path = Path.Combine(root, ProjectFileName);
        // Named from the repository root: the platform project's is infra/OS2BorgerPC.Deploy.PlatformProgram/Pulumi.yaml.
        var display = Relative(displayRoot ?? root, path);
        var (mapping, problem) = YamlConfig.ReadMapping(path, display);
        if (problem is not null)
        {
            throw new InvalidConfigurationException([problem]);
        }
        var name = (YamlConfig.Child(mapping!, "name") as YamlScalarNode)?.Value;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidConfigurationException([new Problem(display, "name",
                "The project has no name.", $"Set 'name: {ConfigKeys.Namespace}'.")]);
        }
        var stackDir = (YamlConfig.Child(mapping!, "stackConfigDir") as YamlScalarNode)?.Value ?? ".";
        var defaults = new Dictionary<string, JsonNode?>();
        if (YamlConfig.Child(mapping!, "config") is YamlMappingNode config)
        {
            foreach (var (keyNode, valueNode) in config.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                var qualified = key.Contains(':') ? key : $"{name}:{key}";
                if (HasProjectValue(valueNode, out var value))
                {
                    defaults[qualified] = value;
                }
            }
        }
        return new ProjectWorkspace(root, name, Path.GetFullPath(Path.Combine(root, stackDir)), defaults, displayRoot ?? root);
    }

    /// <summary>Stack names, from the stack files' names (Pulumi.&lt;stack&gt;.yaml), sorted.</summary>
    public IReadOnlyList<string> StackNames() =>
        Directory.Exists(StackConfigDir)
            ? Directory.GetFiles(StackConfigDir, "Pulumi.*.yaml")
                .Select(path => Path.GetFileName(path)["Pulumi.".Length..^".yaml".Length])
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    public string StackFilePath(string stack) => Path.Combine(StackConfigDir, $"Pulumi.{stack}.yaml");

    /// <summary>A path as messages show it: relative to the repository root, with forward slashes.</summary>
    public string Display(string path) => Relative(_displayRoot, path);

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>One stack's resolved config, or the problem that kept its file from being read.</summary>
    public (StackConfig? Config, Problem? Problem) ReadStack(string stack)
    {
        var path = StackFilePath(stack);
        var display = Display(path);
        if (!File.Exists(path))
        {
            return (null, new Problem(display, "(file)", $"There is no stack file for '{stack}'.",
                $"Create it with 'tenant new', or check the name against 'tenant list'."));
        }
        using var reader = new StreamReader(path);
        return ReadStack(stack, display, reader);
    }

    /// <summary>A stack's config from YAML text not yet written (e.g. a rendered new stack file).</summary>
    public (StackConfig? Config, Problem? Problem) ReadStackText(string stack, string yaml)
    {
        using var reader = new StringReader(yaml);
        return ReadStack(stack, Display(StackFilePath(stack)), reader);
    }

    private (StackConfig? Config, Problem? Problem) ReadStack(string stack, string display, TextReader reader)
    {
        var (mapping, problem) = YamlConfig.ReadMapping(reader, display);
        if (problem is not null)
        {
            return (null, problem);
        }
        var values = new Dictionary<string, JsonNode?>(ProjectDefaults);
        var origins = ProjectDefaults.Keys.ToDictionary(key => key, _ => ProjectFile);
        if (YamlConfig.Child(mapping!, "config") is YamlMappingNode config)
        {
            foreach (var (keyNode, valueNode) in config.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                values[key] = StackValue(valueNode);
                origins.Remove(key);
            }
        }
        return (new StackConfig(stack, display, values, origins), null);
    }

    /// <summary>Pulumi.yaml config: a plain value, or <c>{ value: ... }</c>, or a schema with <c>default:</c>.</summary>
    private static bool HasProjectValue(YamlNode node, out JsonNode? value)
    {
        value = null;
        if (node is YamlMappingNode mapping && YamlConfig.Child(mapping, "value") is { } given)
        {
            value = YamlConfig.ToJson(given);
            return true;
        }
        if (node is YamlMappingNode schema && YamlConfig.Child(schema, "type") is not null)
        {
            var fallback = YamlConfig.Child(schema, "default");
            value = fallback is null ? null : YamlConfig.ToJson(fallback);
            return fallback is not null;
        }
        value = StackValue(node);
        return true;
    }

    /// <summary>Pulumi keeps top-level scalars as text; objects and lists keep their YAML types.</summary>
    private static JsonNode? StackValue(YamlNode node) =>
        node is YamlScalarNode scalar ? (scalar.Value is null or "" or "~" ? null : JsonValue.Create(scalar.Value)) : YamlConfig.ToJson(node);
}
