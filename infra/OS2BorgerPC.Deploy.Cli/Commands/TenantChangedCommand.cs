using System.CommandLine;
using System.Text.Json;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>
/// <c>tenant changed</c>: the tenants a change reaches, as a JSON array of slugs on stdout (a CI matrix);
/// why each is in it, and which stack files were deleted, on stderr.
/// </summary>
public static class TenantChangedCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var baseRevision = new Option<string?>("--base") { Description = "Compare HEAD with this git revision (git diff <base>...HEAD), e.g. origin/main." };
        var files = new Option<string?>("--files") { Description = "Read the changed files from this file instead: one path per line, relative to the repository root." };
        var deployed = new Option<string?>("--deployed")
        {
            Description = "Instead: the tenants whose deployed commit is behind HEAD in a way that reaches them. Reads a JSON object of stack name to deployed commit (empty: none).",
        };
        var command = new Command("changed", "Print the tenants whose stacks a change reaches, as a JSON array of slugs.") { baseRevision, files, deployed };
        command.SetAction(parse => context(parse).InWorkspace(workspace =>
        {
            var cli = context(parse);
            if (parse.GetValue(deployed) is { } deployedFile && parse.GetValue(baseRevision) is null && parse.GetValue(files) is null)
            {
                return TenantsBehind(workspace, Path.GetFullPath(deployedFile, cli.WorkingDirectory), cli.Output);
            }
            var (changed, error) = (parse.GetValue(baseRevision), parse.GetValue(files), parse.GetValue(deployed)) switch
            {
                ({ } revision, null, null) => GitDiff.ChangedSince(Shell.System.Processes, workspace.Root, revision),
                (null, { } list, null) => ReadList(Path.GetFullPath(list, cli.WorkingDirectory)),
                _ => (null, "Give exactly one of --base <git revision>, --files <file> or --deployed <file>."),
            };
            if (changed is null)
            {
                cli.Output.Error(error!);
                return CliContext.Failure;
            }
            var changes = TenantChanges.Decide(changed, workspace.StackNames(), workspace.Display(workspace.StackConfigDir));
            cli.Output.Line(JsonSerializer.Serialize(changes.Tenants));
            Explain(changes, cli.Output);
            return CliContext.Success;
        }));
        return command;
    }

    /// <summary><c>--deployed</c>: every stack not yet running what HEAD would deploy to it; why, on stderr.</summary>
    private static int TenantsBehind(ProjectWorkspace workspace, string path, CliOutput output)
    {
        var (deployed, error) = InputFile.Read(path, "--deployed", "a file with the stacks' deployed commits, e.g. {\"aarhus\": \"<commit>\"}", DeployedCommits.Read);
        if (deployed is null)
        {
            output.Error(error!);
            return CliContext.Failure;
        }
        var behind = DeployedCommits.Behind(deployed, workspace.StackNames(), workspace.Display(workspace.StackConfigDir),
            commit => GitDiff.IsAncestorOfHead(Shell.System.Processes, workspace.Root, commit)
                ? GitDiff.ChangedSince(Shell.System.Processes, workspace.Root, commit).Files
                : null);
        output.Line(JsonSerializer.Serialize(behind.Select(b => b.Stack)));
        foreach (var tenant in behind)
        {
            output.Note($"{tenant.Stack}: {tenant.Reason}");
        }
        if (behind.Count == 0)
        {
            output.Note("no tenant: every stack runs what HEAD would deploy to it.");
        }
        return CliContext.Success;
    }

    private static (IReadOnlyList<string>?, string?) ReadList(string path) =>
        File.Exists(path)
            ? (File.ReadAllLines(path), null)
            : (null, $"--files: {path} does not exist. Give a file with one changed path per line.");

    private static void Explain(TenantChangeSet changes, CliOutput output)
    {
        var shared = changes.Files.Where(f => f.Reach == ChangeReach.AllTenants).Select(f => f.Path).ToList();
        if (shared.Count > 0)
        {
            const int Shown = 5;
            var more = shared.Count > Shown ? $" and {shared.Count - Shown} more" : "";
            output.Note($"every tenant ({changes.Tenants.Count}): shared code or config changed: {string.Join(", ", shared.Take(Shown))}{more}");
        }
        foreach (var file in changes.Files.Where(f => f.Reach == ChangeReach.OneTenant && changes.Tenants.Contains(f.Stack!)))
        {
            output.Note($"{file.Stack}: {file.Path} changed");
        }
        foreach (var stack in changes.Removed)
        {
            output.Note($"removed: {stack}: its stack file was deleted, so there is nothing to preview. " +
                "Its stack and data stay until offboarded by hand (docs/RUNBOOK.md, \"Offboarding a tenant\").");
        }
        if (changes.Tenants.Count == 0 && changes.Removed.Count == 0)
        {
            output.Note("no tenant: the changed files deploy nothing (docs, tests, CI, the CLI).");
        }
    }
}
