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
        // The whole tenants' library: the CI identities' decisions and the tenant loading the foundation's groups come from.
        "infra/OS2BorgerPC.Deploy.FoundationProgram", "infra/OS2BorgerPC.Deploy.PlatformDecisions",
        "infra/OS2BorgerPC.Deploy.TenantDecisions", "stacks/platform", "stacks/foundation",
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

    /// <summary>
    /// The deploy asks each azure foundation stack itself, as the read-only identity: <c>pulumi preview --expect-no-changes</c>
    /// (a diff is an error whose message pulumi/pulumi pkg/cmd/pulumi preview writes as "no changes were expected but changes
    /// were proposed"; newer CLIs "no changes were expected for preview but changes were proposed").
    /// </summary>
    [Fact]
    public void The_deploy_previews_each_azure_foundation_stack_expecting_no_changes_as_the_read_only_identity()
    {
        var behind = Workflow("deploy").Jobs()["behind"];
        behind.Text("environment").ShouldBe(CiIdentities.PreviewEnvironment);
        var step = behind.Steps().Single(s => s.Text("name") == "Foundation stacks an operator must update first");
        var run = step.Text("run").ShouldNotBeNull();
        run.ShouldContain(FoundationList);
        run.ShouldContain("pulumi preview --expect-no-changes --non-interactive --diff --stack \"$foundation\" --cwd infra/OS2BorgerPC.Deploy.FoundationProgram");
        run.ShouldContain("foundation=\"organization/os2borgerpc-foundation/$stack\"");
        run.ShouldNotContain("git diff");
        step.Get("env")!.Text("ARM_USE_OIDC").ShouldBe("true");
        step.Get("env")!.Text("ARM_CLIENT_ID").ShouldBe("${{ vars.AZURE_CLIENT_ID }}");
        step.Text("continue-on-error").ShouldBeNull();
    }

    [Fact]
    public void The_deploy_says_nothing_when_the_foundation_is_as_deployed()
    {
        var (exitCode, annotations) = RunDeployCheck(0, "Previewing update (prod):\nResources:\n    42 unchanged\n");

        (exitCode, annotations.Count).ShouldBe((0, 0));
    }

    [Theory]
    [InlineData("error: no changes were expected but changes were proposed")]
    [InlineData("error: no changes were expected for preview but changes were proposed")]
    public void The_deploy_warns_with_the_runbook_pointer_when_the_foundation_would_change(string message)
    {
        var (exitCode, annotations) = RunDeployCheck(255, $"  + azure:core/resourceGroup:ResourceGroup tenant-odense create\n{message}\n");

        exitCode.ShouldBe(0);
        annotations.ShouldBe([
            "::warning title=Foundation prod::The foundation (organization/os2borgerpc-foundation/prod) differs from this commit (the diff is above): an operator " +
            "runs its up by hand before the platform's and the tenants' ups that need it; CI never does (docs/RUNBOOK.md, \"The foundation\").",
        ]);
    }

    /// <summary>The check is advice: the platform and tenant programs refuse on their own what an outdated foundation breaks.</summary>
    [Fact]
    public void The_deploy_warns_and_goes_on_when_the_foundation_preview_fails_for_another_reason()
    {
        var (exitCode, annotations) = RunDeployCheck(255, "error: no stack named 'organization/os2borgerpc-foundation/prod' found\n");

        exitCode.ShouldBe(0);
        annotations.ShouldHaveSingleItem().ShouldStartWith("::warning title=Foundation prod::The preview of organization/os2borgerpc-foundation/prod failed");
    }

    /// <summary>
    /// The deploy's foundation step, run by bash as GitHub runs it (-e, pipefail), with one azure platform, prod, whose foundation
    /// preview (a shell function standing for pulumi) prints <paramref name="output"/> and exits with <paramref name="previewExit"/>.
    /// </summary>
    /// <returns>The step's exit code and its annotation lines.</returns>
    private static (int ExitCode, IReadOnlyList<string> Annotations) RunDeployCheck(int previewExit, string output)
    {
        var run = Workflow("deploy").Jobs()["behind"].Steps().Single(s => s.Text("name") == "Foundation stacks an operator must update first").Text("run")!;
        var dir = Directory.CreateTempSubdirectory("foundation-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "preview.out"), output);
            var fakes = $$"""
                dotnet() { echo '["prod"]'; }
                pulumi() {
                  [ "$*" = 'preview --expect-no-changes --non-interactive --diff --stack organization/os2borgerpc-foundation/prod --cwd infra/OS2BorgerPC.Deploy.FoundationProgram' ] || { echo "unexpected: pulumi $*" >&2; return 2; }
                  cat preview.out; return {{previewExit}};
                }

                """;
            var start = new ProcessStartInfo("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", fakes + run]) { WorkingDirectory = dir.FullName };
            start.Environment["RUNNER_TEMP"] = dir.FullName;
            var (exitCode, stdout, error) = ChildProcess.Run(start, TimeSpan.FromSeconds(30));
            error.ShouldNotContain("unexpected");
            return (exitCode, [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("::", StringComparison.Ordinal))]);
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
}
