using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Configuration;

/// <summary>
/// The platform program's Pulumi project inside the kit's repository: its Pulumi.yaml in
/// infra/OS2BorgerPC.Deploy.PlatformProgram (project <see cref="PlatformReference.ProjectName"/>) and its stack
/// files in stacks/platform/. Config is resolved as Pulumi resolves it.
/// </summary>
public sealed class PlatformWorkspace
{
    public const string ProjectFolder = "infra/OS2BorgerPC.Deploy.PlatformProgram";

    /// <summary>The config namespace of the platform project (its project name).</summary>
    public const string Namespace = PlatformReference.ProjectName;

    /// <summary>The structured platform object of each platform stack file.</summary>
    public const string PlatformKey = "platform";

    /// <summary>A project default: names the fleet in globally unique Azure names (as the tenant project's fleetId).</summary>
    public const string FleetIdKey = "fleetId";

    private PlatformWorkspace(ProjectWorkspace project) => Project = project;

    public ProjectWorkspace Project { get; }

    /// <summary>The platform project of the repository at <paramref name="repositoryRoot"/>.</summary>
    public static PlatformWorkspace Open(string repositoryRoot) =>
        new(ProjectWorkspace.Open(Path.Combine(repositoryRoot, ProjectFolder), repositoryRoot));

    public static string Qualified(string key) => $"{Namespace}:{key}";

    public IReadOnlyList<string> StackNames() => Project.StackNames();

    public string StackFilePath(string stack) => Project.StackFilePath(stack);

    public string Display(string path) => Project.Display(path);

    /// <summary>One platform stack's resolved config, or why it could not be read.</summary>
    public (StackConfig? Config, Problem? Problem) ReadStack(string stack)
    {
        var path = StackFilePath(stack);
        if (!File.Exists(path))
        {
            return (null, new Problem(Display(path), "(file)", $"There is no platform stack file for '{stack}'.",
                $"Create it with 'platform new {stack}', or check the name against the files in {Display(Project.StackConfigDir)}."));
        }
        return Project.ReadStackText(stack, File.ReadAllText(path));
    }
}
