using System.Diagnostics;
using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.Testing;
using YamlDotNet.RepresentationModel;
using static OS2BorgerPC.Deploy.Testing.WorkflowFiles;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Workflows;

/// <summary>
/// The foundation stacks (state and backup accounts, resource groups, CI identities and their rights; one per azure
/// platform, of the same name) in the workflows: CI previews them on pull requests and checks them for drift nightly, as
/// the read-only identity, and never updates them; the deploy says when an operator must.
/// </summary>
public sealed partial class FoundationWorkflowTests
{
    /// <summary>What the foundation program reads (its contract): a change to any of them can change a foundation stack.</summary>
    private static readonly string[] FoundationInputs =
    [
        "infra/OS2BorgerPC.Deploy.FoundationProgram", "infra/OS2BorgerPC.Deploy.PlatformDecisions",
        "infra/OS2BorgerPC.Deploy.TenantDecisions/Security/CiIdentities.cs", "stacks/platform", "stacks/foundation",
        "'stacks/Pulumi.*.yaml'", "Directory.Packages.props", PulumiCliPin.FileName,
    ];

    private const string FoundationList = "-- platform list --json --flavour azure";

    /// <summary>Every job that runs tenant-stacks.yml on the foundation project, in every workflow.</summary>
    private static List<(string Workflow, string Job, YamlNode With)> FoundationCalls() =>
    [
        .. from file in WorkflowFiles.Workflows
           from job in Load(file).Jobs()
           where job.Value.Text("uses") == "./.github/workflows/tenant-stacks.yml"
           let with = job.Value.Get("with").ShouldNotBeNull()
           where with.Text("project") == CiIdentities.FoundationProject
           select (Path.GetFileNameWithoutExtension(file), job.Key, (YamlNode)with),
    ];

    [Fact]
    public void The_foundation_is_previewed_and_drift_checked_only_as_the_read_only_identity()
    {
        var calls = FoundationCalls();

        calls.Select(c => (c.Workflow, c.Job, c.With.Text("operation"))).ShouldBe(
            [("preview", "foundation-preview", "preview"), ("drift", "foundation-drift", "drift")], ignoreOrder: true);
        calls.ShouldAllBe(c => c.With.Text("environment") == CiIdentities.PreviewEnvironment);
        CiIdentities.All.Where(i => i.Projects.Contains(CiIdentities.FoundationProject)).Select(i => i.Environment)
            .ShouldBe([CiIdentities.PreviewEnvironment]);
        CiIdentities.Preview.Operations.ShouldContain("preview");
        CiIdentities.Preview.Operations.ShouldContain("drift");
    }

    /// <summary>
    /// Fails when someone adds a foundation up to CI: no call of tenant-stacks.yml asks for one, and the only update any
    /// workflow runs is tenant-stacks.yml's Update step, behind the guard that refuses a foundation's up in every
    /// environment (WorkflowSecurityTests runs it).
    /// </summary>
    [Fact]
    public void No_workflow_runs_the_foundation_s_up()
    {
        FoundationCalls().ShouldAllBe(c => c.With.Text("operation") != "up");

        var updates = (from file in WorkflowFiles.Workflows
                       from job in Load(file).Jobs()
                       from step in job.Value.Steps()
                       where step.Get("with")?.Text("command") == "up" || PulumiUp().IsMatch(step.Text("run") ?? "")
                       select $"{Path.GetFileNameWithoutExtension(file)}/{job.Key}/{step.Text("name")}").ToList();
        updates.ShouldBe(["tenant-stacks/stack/Update"], "a pulumi up anywhere else could run on a foundation stack");

        var stack = Workflow("tenant-stacks").Jobs()["stack"].Steps().ToList();
        stack.Single(s => s.Text("name") == "Update").Text("if").ShouldBe("inputs.operation == 'up'");
        stack.Single(s => s.Text("name") == "Update").Get("with")!.Text("work-dir").ShouldBe("${{ env.PROJECT_DIR }}");
    }

    /// <summary>The foundation's program is mapped like the platform's: built from its folder, run as its dll in its project.</summary>
    [Fact]
    public void The_stack_jobs_run_the_foundation_s_program_in_its_project()
    {
        var workflow = Workflow("tenant-stacks");
        var programs = Choices(workflow.Get("env")!.Text("PROGRAM")!);
        var projectDirs = Choices(workflow.Jobs()["stack"].Get("env")!.Text("PROJECT_DIR")!);

        programs.ShouldBe(new Dictionary<string, string>
        {
            [CiIdentities.PlatformProject] = "OS2BorgerPC.Deploy.PlatformProgram",
            [CiIdentities.FoundationProject] = "OS2BorgerPC.Deploy.FoundationProgram",
            [""] = "OS2BorgerPC.Deploy.TenantProgram",
        });
        projectDirs.ShouldBe(new Dictionary<string, string>
        {
            [CiIdentities.PlatformProject] = "infra/OS2BorgerPC.Deploy.PlatformProgram",
            [CiIdentities.FoundationProject] = "infra/OS2BorgerPC.Deploy.FoundationProgram",
            [""] = ".",
        });
        workflow.Jobs()["program"].Scalars("run").ShouldContain("dotnet publish \"infra/$PROGRAM\" -c Release -o \"$RUNNER_TEMP/program\"");
        workflow.Jobs()["stack"].Scalars("run").ShouldContain(
            "BINARY=\"$RUNNER_TEMP/program/$PROGRAM.dll\" yq -i '.runtime.options.binary = strenv(BINARY)' \"$PROJECT_DIR/Pulumi.yaml\"");
    }

    [Fact]
    public void A_pull_request_that_touches_the_foundation_s_inputs_previews_every_foundation_stack()
    {
        var changed = Workflow("preview").Jobs()["changed"];
        changed.Get("outputs")!.Text("foundations").ShouldBe("${{ steps.foundations.outputs.foundations }}");
        var run = changed.Steps().Single(s => s.Text("id") == "foundations").Text("run").ShouldNotBeNull();

        Pathspec(run, "git diff --quiet \"origin/$BASE_REF...HEAD\" -- ").ShouldBe(FoundationInputs, ignoreOrder: true);
        run.ShouldContain(FoundationList);
        Workflow("preview").Jobs()["foundation-preview"].Get("with")!.Text("tenants").ShouldBe("${{ needs.changed.outputs.foundations }}");
        Workflow("drift").Jobs()["foundation-drift"].Get("with")!.Text("tenants").ShouldBe("${{ needs.tenants.outputs.foundations }}");
        string.Join('\n', Workflow("drift").Jobs()["tenants"].Scalars("run")).ShouldContain(FoundationList);
    }

    [Fact]
    public void The_deploy_watches_the_same_inputs_as_the_preview() =>
        Pathspec(DeployWarning(), "git diff --quiet \"$commit\" HEAD -- ").ShouldBe(FoundationInputs, ignoreOrder: true);

    [Fact]
    public void The_deploy_says_an_operator_must_run_the_foundation_first_when_a_tenant_stack_file_was_added()
    {
        var warnings = RunDeployWarning(repository =>
        {
            repository.Commit("stacks/Pulumi.aarhus.yaml", "config: {}\n");
            var deployed = repository.Head();
            repository.Commit("stacks/Pulumi.odense.yaml", "config: {}\n");
            return deployed;
        });

        warnings.ShouldBe([
            "::warning title=Foundation prod::New tenant stack files (stacks/Pulumi.odense.yaml): their first up fails until an operator has run " +
            "the foundation's up (organization/os2borgerpc-foundation/prod), which makes their resource groups and the deploying identity's " +
            "rights there (docs/RUNBOOK.md, \"The foundation\").",
        ]);
    }

    [Theory]
    [InlineData("stacks/foundation/Pulumi.prod.yaml")]
    [InlineData("stacks/Pulumi.aarhus.yaml")]
    [InlineData("infra/OS2BorgerPC.Deploy.TenantDecisions/Security/CiIdentities.cs")]
    public void The_deploy_says_the_foundation_is_due_when_its_inputs_changed(string changed)
    {
        var warnings = RunDeployWarning(repository =>
        {
            repository.Commit("stacks/Pulumi.aarhus.yaml", "config: {}\n");
            var deployed = repository.Head();
            repository.Commit(changed, "changed\n");
            return deployed;
        });

        warnings.ShouldHaveSingleItem().ShouldStartWith("::warning title=Foundation prod::The foundation's inputs changed since platform prod's deployed commit (");
    }

    [Fact]
    public void The_deploy_says_nothing_when_the_foundation_s_inputs_are_as_deployed() =>
        RunDeployWarning(repository =>
        {
            repository.Commit("stacks/Pulumi.aarhus.yaml", "config: {}\n");
            var deployed = repository.Head();
            repository.Commit("docs/RUNBOOK.md", "changed\n");
            return deployed;
        }).ShouldBeEmpty();

    [Fact]
    public void The_deploy_says_the_foundation_is_due_for_a_platform_never_deployed() =>
        RunDeployWarning(repository =>
        {
            repository.Commit("stacks/Pulumi.aarhus.yaml", "config: {}\n");
            return "";
        }).ShouldHaveSingleItem().ShouldContain("since platform prod's deployed commit (none)");

    private static string DeployWarning() =>
        Workflow("deploy").Jobs()["behind"].Steps().Single(s => s.Text("name") == "Foundation stacks an operator must update first").Text("run").ShouldNotBeNull();

    /// <summary>
    /// The deploy's foundation step, run by bash as GitHub runs it (-e, pipefail) in a git repository the arrange step
    /// builds, with one azure platform, prod, whose deployed commit is the one it returns ("" for none).
    /// </summary>
    private static IReadOnlyList<string> RunDeployWarning(Func<GitRepository, string> arrange)
    {
        var dir = Directory.CreateTempSubdirectory("foundation-");
        try
        {
            var repository = new GitRepository(dir.FullName);
            var deployed = arrange(repository);
            DeployWarning().ShouldContain(FoundationList);
            // The CLI and pulumi as shell functions ahead of the step: the list of azure platforms, and prod's deployed commit.
            var fakes = $$"""
                dotnet() { echo '["prod"]'; }
                pulumi() { [ "$*" = 'stack tag get os2borgerpc-deployed-commit --stack prod --cwd infra/OS2BorgerPC.Deploy.PlatformProgram' ] && [ -n '{{deployed}}' ] && echo '{{deployed}}'; }

                """;
            var start = new ProcessStartInfo("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", fakes + DeployWarning()]) { WorkingDirectory = dir.FullName };
            start.Environment["DEPLOYED_COMMIT_TAG"] = CiIdentities.DeployedCommitTag;
            var (exitCode, output, error) = ChildProcess.Run(start, TimeSpan.FromSeconds(30));
            exitCode.ShouldBe(0, error);
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The paths a script's git diff names after <paramref name="prefix"/>, to the end of the command.</summary>
    private static IEnumerable<string> Pathspec(string run, string prefix)
    {
        var start = run.IndexOf(prefix, StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, $"no '{prefix}' in:\n{run}");
        var rest = run[(start + prefix.Length)..];
        return rest[..rest.IndexOf(';', StringComparison.Ordinal)].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// A chain of <c>inputs.project == 'a' &amp;&amp; 'x' || ... || 'default'</c> as project to value; the default under "".
    /// </summary>
    private static Dictionary<string, string> Choices(string expression)
    {
        var choices = ProjectChoice().Matches(expression).ToDictionary(m => m.Groups["project"].Value, m => m.Groups["value"].Value);
        choices[""] = DefaultChoice().Match(expression).Groups["value"].Value;
        return choices;
    }

    [GeneratedRegex(@"inputs\.project == '(?<project>[a-z]+)' && '(?<value>[^']+)'")]
    private static partial Regex ProjectChoice();

    [GeneratedRegex(@"\|\| '(?<value>[^']+)' \}\}$")]
    private static partial Regex DefaultChoice();

    /// <summary>pulumi up as a command: at a line's start or after a shell operator, not inside a message.</summary>
    [GeneratedRegex(@"(^\s*|[;&|(]\s*)pulumi\s+(up|update)\b", RegexOptions.Multiline)]
    private static partial Regex PulumiUp();

    private sealed class GitRepository
    {
        private readonly string _root;

        public GitRepository(string root)
        {
            _root = root;
            Git("init", "-q", "-b", "main");
        }

        public void Commit(string path, string text)
        {
            var file = Path.Combine(_root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
            Git("add", "-A");
            Git("-c", "user.name=test", "-c", "user.email=test@example.dk", "commit", "-q", "-m", path);
        }

        public string Head() => Git("rev-parse", "HEAD").Trim();

        private string Git(params string[] arguments)
        {
            var (exitCode, output, error) = ChildProcess.Run(new ProcessStartInfo("git", arguments) { WorkingDirectory = _root }, TimeSpan.FromSeconds(30));
            exitCode.ShouldBe(0, error);
            return output;
        }
    }
}
