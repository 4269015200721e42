using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>Which stacks a changed file can change.</summary>
public enum ChangeReach
{
    /// <summary>Nothing any stack deploys: documentation, tests, CI, the operator's CLI.</summary>
    None,

    /// <summary>One tenant's stack file.</summary>
    OneTenant,

    /// <summary>What every stack runs: TenantProgram, TenantDecisions, the templates it uses, Pulumi.yaml, the build.</summary>
    AllTenants,
}

/// <param name="Path">Relative to the repository root, with forward slashes.</param>
/// <param name="Stack">The stack a <see cref="ChangeReach.OneTenant"/> file belongs to.</param>
public sealed record ChangedFile(string Path, ChangeReach Reach, string? Stack = null);

/// <param name="Tenants">Stacks to preview (or update), sorted.</param>
/// <param name="Removed">Stacks whose stack file was deleted: nothing to preview, and their resources stay until offboarded by hand.</param>
/// <param name="Files">Every changed file with what it reaches.</param>
public sealed record TenantChangeSet(IReadOnlyList<string> Tenants, IReadOnlyList<string> Removed, IReadOnlyList<ChangedFile> Files);

/// <summary>
/// Decides which tenants a set of changed files touches, so a pull request previews (and a merge updates)
/// exactly those stacks. A stack file reaches its tenant; shared code and config reach every tenant;
/// anything else (docs, tests, CI workflows, the CLI) reaches none.
/// </summary>
public static class TenantChanges
{
    private const string ProgramSources = "infra/";
    private const string CliProject = "infra/OS2BorgerPC.Deploy.Cli/";
    private const string Templates = "templates/";

    /// <summary>Files at the repository root that change what every stack builds or resolves.</summary>
    private static readonly string[] SharedRootFiles =
    [
        ProjectWorkspace.ProjectFileName,
        "Directory.Packages.props",
        "Directory.Build.props",
        "Directory.Build.targets",
        "nuget.config",
        "global.json",
    ];

    /// <param name="path">A changed file, relative to the repository root.</param>
    /// <param name="stackDirectory">The stack folder relative to the root (Pulumi.yaml's <c>stackConfigDir</c>), e.g. <c>stacks</c>.</param>
    public static ChangedFile Classify(string path, string stackDirectory)
    {
        var file = Normalize(path);
        if (StackOf(file, StackPrefix(stackDirectory)) is { } stack)
        {
            return new ChangedFile(file, ChangeReach.OneTenant, stack);
        }
        var reachesAll = !file.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && (
            (!file.Contains('/') && SharedRootFiles.Contains(file, StringComparer.OrdinalIgnoreCase))
            || (file.StartsWith(ProgramSources, StringComparison.Ordinal) && !file.StartsWith(CliProject, StringComparison.Ordinal))
            // Every template but the stack file template is rendered or shipped by the program.
            || (file.StartsWith(Templates, StringComparison.Ordinal) && file != Templates + NewTenant.TemplateName));
        return new ChangedFile(file, reachesAll ? ChangeReach.AllTenants : ChangeReach.None);
    }

    /// <param name="changedPaths">Changed files relative to the repository root (as <c>git diff --name-only</c> lists them, deleted ones included).</param>
    /// <param name="stacks">The stacks that have a stack file now.</param>
    /// <param name="stackDirectory">The stack folder relative to the root.</param>
    public static TenantChangeSet Decide(IEnumerable<string> changedPaths, IReadOnlyCollection<string> stacks, string stackDirectory)
    {
        var files = changedPaths.Select(Normalize).Where(path => path.Length > 0).Distinct(StringComparer.Ordinal)
            .Select(path => Classify(path, stackDirectory)).ToList();
        var existing = stacks.ToHashSet(StringComparer.Ordinal);
        var named = files.Where(f => f.Reach == ChangeReach.OneTenant).Select(f => f.Stack!).ToHashSet(StringComparer.Ordinal);
        var tenants = files.Any(f => f.Reach == ChangeReach.AllTenants) ? existing : named.Intersect(existing);
        return new TenantChangeSet(
            tenants.Order(StringComparer.Ordinal).ToList(),
            named.Except(existing).Order(StringComparer.Ordinal).ToList(),
            files);
    }

    private static string Normalize(string path)
    {
        var file = path.Trim().Replace('\\', '/');
        return file.StartsWith("./", StringComparison.Ordinal) ? file[2..] : file;
    }

    /// <summary>"stacks" becomes "stacks/"; the root (".") becomes "".</summary>
    private static string StackPrefix(string stackDirectory)
    {
        var directory = Normalize(stackDirectory).TrimEnd('/');
        return directory is "" or "." ? "" : directory + "/";
    }

    /// <summary>The stack of a stack file (<c>&lt;stack folder&gt;/Pulumi.&lt;stack&gt;.yaml</c>), else null.</summary>
    private static string? StackOf(string file, string stackPrefix)
    {
        const string Start = "Pulumi.", End = ".yaml";
        if (!file.StartsWith(stackPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var name = file[stackPrefix.Length..];
        return !name.Contains('/') && name.Length > Start.Length + End.Length
            && name.StartsWith(Start, StringComparison.Ordinal) && name.EndsWith(End, StringComparison.Ordinal)
            ? name[Start.Length..^End.Length]
            : null;
    }
}
