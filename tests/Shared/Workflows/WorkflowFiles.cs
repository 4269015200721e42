using YamlDotNet.RepresentationModel;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>
/// The repository's GitHub Actions files, parsed as YAML (never matched as text). Shared by the Pulumi-free
/// workflow security suite (TenantDecisions.Tests) and the CLI's check that the commands the workflows run exist.
/// </summary>
internal static class WorkflowFiles
{
    public static string Root => RepositoryRoot.FullPath;

    public static IReadOnlyList<string> Workflows => Files(".github/workflows", SearchOption.TopDirectoryOnly);

    public static IReadOnlyList<string> AllYaml => Files(".github", SearchOption.AllDirectories);

    public static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, file));
        stream.Load(reader);
        stream.Documents.Count.ShouldBe(1, file);
        return stream.Documents[0].RootNode.ShouldBeOfType<YamlMappingNode>(file);
    }

    public static YamlMappingNode Workflow(string name) => Load($".github/workflows/{name}.yml");

    /// <summary>The value of <paramref name="key"/> in a mapping, or null.</summary>
    public static YamlNode? Get(this YamlNode node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Text(this YamlNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    public static IReadOnlyDictionary<string, YamlMappingNode> Jobs(this YamlNode workflow) =>
        ((YamlMappingNode)workflow.Get("jobs")!).Children.ToDictionary(p => p.Key.ToString(), p => (YamlMappingNode)p.Value);

    public static IEnumerable<YamlMappingNode> Steps(this YamlNode job) =>
        job.Get("steps") is YamlSequenceNode steps ? steps.Children.Cast<YamlMappingNode>() : [];

    /// <summary>A permissions block as scope to access; <c>{}</c> is empty; null when the block is absent.</summary>
    public static IReadOnlyDictionary<string, string>? Permissions(this YamlNode node) => node.Get("permissions") switch
    {
        null => null,
        YamlMappingNode map => map.Children.ToDictionary(p => p.Key.ToString(), p => p.Value.ToString()),
        YamlScalarNode scalar => throw new ShouldAssertException($"permissions: {scalar.Value}: name each scope instead of a shorthand"),
        _ => throw new ShouldAssertException("permissions is neither a mapping nor a scalar"),
    };

    /// <summary>Every scalar value of a key named <paramref name="key"/>, anywhere below <paramref name="node"/>.</summary>
    public static IEnumerable<string> Scalars(this YamlNode node, string key) => node switch
    {
        YamlMappingNode mapping => mapping.Children.SelectMany(pair =>
            pair.Key.ToString() == key && pair.Value is YamlScalarNode { Value: { } value }
                ? [value]
                : pair.Value.Scalars(key)),
        YamlSequenceNode sequence => sequence.Children.SelectMany(child => child.Scalars(key)),
        _ => [],
    };

    /// <summary>Every scalar anywhere below <paramref name="node"/>, keys excluded.</summary>
    public static IEnumerable<string> AllScalars(this YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.Values.SelectMany(AllScalars),
        YamlSequenceNode sequence => sequence.Children.SelectMany(AllScalars),
        YamlScalarNode { Value: { } value } => [value],
        _ => [],
    };

    private static IReadOnlyList<string> Files(string folder, SearchOption search) =>
        [.. Directory.GetFiles(Path.Combine(Root, folder), "*.yml", search)
            .Select(path => Path.GetRelativePath(Root, path).Replace('\\', '/')).Order(StringComparer.Ordinal)];
}
