using YamlDotNet.RepresentationModel;

namespace OS2BorgerPC.Deploy.TenantDecisions.Configuration;

/// <summary>
/// The repository's Pulumi project, run from a program published once instead of built by each <c>pulumi</c> run:
/// a copy of Pulumi.yaml in another folder with <c>runtime.options.binary</c> set to the published assembly, and
/// <c>main</c> and <c>stackConfigDir</c> pointing back into the repository. Everything else (name, fleet defaults)
/// is the repository's own, so a stack runs exactly as <c>pulumi up --stack</c> in the repository runs it; the
/// operator's Pulumi.yaml is never written. (The Automation API's ProjectSettings cannot carry stackConfigDir or
/// project config, hence a file.)
/// </summary>
public sealed class PublishedProject
{
    private readonly ProjectWorkspace _workspace;

    private PublishedProject(ProjectWorkspace workspace, string programFolder)
    {
        _workspace = workspace;
        ProgramFolder = programFolder;
    }

    /// <summary>The folder of the program (Pulumi.yaml's <c>main</c>), absolute: what gets published.</summary>
    public string ProgramFolder { get; }

    public static PublishedProject Of(ProjectWorkspace workspace)
    {
        var main = (YamlConfig.Child(Read(workspace), "main") as YamlScalarNode)?.Value ?? ".";
        return new PublishedProject(workspace, Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(workspace.Root, main))));
    }

    private static YamlMappingNode Read(ProjectWorkspace workspace)
    {
        var (mapping, problem) = YamlConfig.ReadMapping(Path.Combine(workspace.Root, ProjectWorkspace.ProjectFileName), workspace.ProjectFile);
        return mapping ?? throw new Validation.InvalidConfigurationException([problem!]);
    }

    /// <summary>Pulumi.yaml for <paramref name="projectFolder"/>, running <paramref name="binary"/> (an absolute path to the published assembly).</summary>
    public string Text(string projectFolder, string binary)
    {
        var project = Read(_workspace);
        var runtime = YamlConfig.Child(project, "runtime") switch
        {
            YamlScalarNode name => name.Value,
            YamlMappingNode mapping => (YamlConfig.Child(mapping, "name") as YamlScalarNode)?.Value,
            _ => null,
        } ?? "dotnet";
        project.Children[new YamlScalarNode("runtime")] = new YamlMappingNode(
            new YamlScalarNode("name"), new YamlScalarNode(runtime),
            new YamlScalarNode("options"), new YamlMappingNode(new YamlScalarNode("binary"), new YamlScalarNode(binary)));
        project.Children[new YamlScalarNode("main")] = new YamlScalarNode(Relative(projectFolder, ProgramFolder));
        project.Children[new YamlScalarNode("stackConfigDir")] = new YamlScalarNode(Relative(projectFolder, _workspace.StackConfigDir));
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(project)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>Writes <see cref="Text"/> as <paramref name="projectFolder"/>/Pulumi.yaml.</summary>
    public void Write(string projectFolder, string binary)
    {
        Directory.CreateDirectory(projectFolder);
        File.WriteAllText(Path.Combine(projectFolder, ProjectWorkspace.ProjectFileName), Text(projectFolder, binary));
    }

    // Pulumi joins main and stackConfigDir to the project folder, so they must be relative to it.
    private static string Relative(string from, string to) => Path.GetRelativePath(from, to).Replace('\\', '/');
}
