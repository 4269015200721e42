using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using OS2BorgerPC.Deploy.Testing;
using YamlDotNet.RepresentationModel;
using static OS2BorgerPC.Deploy.Testing.WorkflowFiles;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>
/// The GitHub Actions workflows run nowhere here, so what can be checked is checked: each file is YAML,
/// every command and script they run exists. Their security (permissions, environments, pins, concurrency)
/// is checked by the Pulumi-free suite tests/OS2BorgerPC.Deploy.TenantDecisions.Tests/Workflows.
/// </summary>
public sealed partial class WorkflowTests
{
    private static readonly string Root = RepositoryRoot.FullPath;

    public static TheoryData<string> YamlFiles() => new(WorkflowFiles.AllYaml);

    public static TheoryData<string> Workflows() => new(WorkflowFiles.Workflows);

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Every_file_is_one_yaml_mapping(string file) => Load(file).ShouldNotBeNull();

    [Fact]
    public void The_workflows_the_kit_documents_exist() =>
        WorkflowFiles.Workflows.ShouldBe(
            new[] { "ci", "deploy", "drift", "image-scan", "preview", "restore-drill", "ring-status", "tenant-stacks" }.Select(name => $".github/workflows/{name}.yml"),
            ignoreOrder: true);

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Every_workflow_has_triggers_and_jobs(string file)
    {
        var workflow = Load(file);

        workflow.Children.Keys.Select(k => k.ToString()).ShouldContain("on");
        ((YamlMappingNode)workflow["jobs"]).Children.ShouldNotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Every_cli_command_a_workflow_runs_exists_with_the_options_it_passes(string file)
    {
        foreach (Match call in CliCall().Matches(string.Join('\n', Load(file).Scalars("run"))))
        {
            var project = call.Groups["project"].Value;
            File.Exists(Path.Combine(Root, project, $"{Path.GetFileName(project)}.csproj")).ShouldBeTrue($"{file}: no project {project}");
            var command = call.Groups["command"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

            var help = CliRun.In(Root, [.. command, "--help"]);

            help.ExitCode.ShouldBe(0, $"{file}: {call.Value}");
            // Help for an unknown subcommand is the parent's help: the usage line must name the whole command.
            help.Output.ShouldMatch($@"Usage:\s+\S+ {Regex.Escape(string.Join(' ', command))} ", $"{file}: no command '{string.Join(' ', command)}'");
            foreach (Match option in Option().Matches(call.Groups["rest"].Value))
            {
                help.Output.ShouldContain($"{option.Value} ", Case.Sensitive, $"{file}: '{string.Join(' ', command)}' has no option {option.Value}");
            }
        }
    }

    [Fact]
    public void The_workflows_run_the_cli_commands_they_rely_on()
    {
        var runs = WorkflowFiles.Workflows.ToDictionary(file => file, file => string.Join('\n', Load(file).Scalars("run")));

        runs[".github/workflows/preview.yml"].ShouldContain("-- tenant changed --base \"origin/$BASE_REF\"");
        runs[".github/workflows/deploy.yml"].ShouldContain("-- tenant changed --deployed \"$deployed\"");
        runs[".github/workflows/drift.yml"].ShouldContain("-- tenant list --json");
        runs[".github/workflows/drift.yml"].ShouldContain("-- fleet status --drift drift-result.json --html fleet-status.html");
        runs[".github/workflows/image-scan.yml"].ShouldContain("-- tenant images --json");
        runs[".github/workflows/deploy.yml"].ShouldContain("-- fleet plan --tenants \"$tenants\"");
        runs[".github/workflows/deploy.yml"].ShouldContain("-- platform list --json");
        // The foundation stacks: one per azure platform, of the same name.
        foreach (var workflow in new[] { "preview", "drift", "deploy" })
        {
            runs[$".github/workflows/{workflow}.yml"].ShouldContain("-- platform list --json --flavour azure");
        }
        runs[".github/workflows/ring-status.yml"].ShouldContain("-- fleet status --ring \"$RING\"");
    }

    /// <summary>
    /// Each tenant's drift job keeps its verdict as an artifact whatever it found; the status job gathers them all,
    /// merges them into the file <c>fleet status --drift</c> reads and publishes the page whatever it found. The
    /// scripts themselves are tested under bash and jq in RealPrograms.Tests (DriftWorkflowScriptsTests).
    /// </summary>
    [Fact]
    public void The_drift_verdicts_reach_the_fleet_status_page()
    {
        var stack = Load(".github/workflows/tenant-stacks.yml").Jobs()["stack"].Steps().ToList();
        var check = stack.FindIndex(s => s.Text("run") == "bash .github/scripts/drift-check.sh \"$STACK\" \"$RUNNER_TEMP/drift/$STACK.json\"");
        check.ShouldBeGreaterThan(0);
        stack[check].Text("if").ShouldBe("inputs.operation == 'drift'");
        var keep = stack[check + 1];
        keep.Text("uses").ShouldStartWith("actions/upload-artifact@");
        keep.Text("if").ShouldBe("always() && inputs.operation == 'drift' && inputs.project == 'tenant'");
        keep.Get("with")!.Text("name").ShouldBe("drift-${{ matrix.tenant }}");
        keep.Get("with")!.Text("path").ShouldBe("${{ runner.temp }}/drift/");

        var status = Load(".github/workflows/drift.yml").Jobs()["status"];
        status.Text("if").ShouldBe("always() && needs.tenants.outputs.tenants != '[]'");
        var steps = status.Steps().ToList();
        var gather = steps.FindIndex(s => s.Text("uses")?.StartsWith("actions/download-artifact@", StringComparison.Ordinal) == true);
        steps[gather].Get("with")!.Text("pattern").ShouldBe("drift-*");
        steps[gather].Get("with")!.Text("path").ShouldBe("${{ runner.temp }}/drift");
        steps[gather].Get("with")!.Text("merge-multiple").ShouldBe("true");
        var merge = steps.FindIndex(s => s.Text("run") == "bash .github/scripts/drift-merge.sh \"$TENANTS\" \"$RUNNER_TEMP/drift\" > drift-result.json");
        steps[merge].Get("env")!.Text("TENANTS").ShouldBe("${{ needs.tenants.outputs.tenants }}");
        var page = steps.FindIndex(s => s.Text("run")?.Contains("fleet status --drift drift-result.json --html fleet-status.html", StringComparison.Ordinal) == true);
        var publish = steps.FindIndex(s => s.Text("uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
        new[] { gather, merge, page, publish }.ShouldBeInOrder(SortDirection.Ascending);
        gather.ShouldBeGreaterThanOrEqualTo(0);
        steps[publish].Text("if").ShouldBe("always()");
        steps[publish].Get("with")!.Text("path")!.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["fleet-status.html", "fleet-status.txt", "drift-result.json"]);
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Every_script_and_local_workflow_referenced_exists(string file)
    {
        var yaml = Load(file);
        foreach (Match script in Script().Matches(string.Join('\n', yaml.Scalars("run"))))
        {
            File.Exists(Path.Combine(Root, script.Groups["path"].Value)).ShouldBeTrue($"{file}: {script.Value}");
        }
        foreach (var local in yaml.Scalars("uses").Where(uses => uses.StartsWith("./", StringComparison.Ordinal)))
        {
            File.Exists(Path.Combine(Root, local)).ShouldBeTrue($"{file}: {local}");
        }
    }

    [Fact]
    public void Ci_runs_the_readmes_test_command_and_the_vulnerability_check()
    {
        var runs = Load(".github/workflows/ci.yml").Scalars("run").ToList();

        runs.ShouldContain("bash tests/run.sh");
        runs.ShouldContain(run => run.StartsWith("dotnet list OS2BorgerPC.Deploy.sln package --vulnerable --include-transitive | bash .github/scripts/fail-on-vulnerable-packages.sh", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("The given project `A` has no vulnerable packages given the current sources.", 0)]
    [InlineData(VulnerableListing, 1)]
    [InlineData("error: Unable to load the service index for source https://api.nuget.org/v3/index.json.", 1)]
    [InlineData("", 1)]
    public async Task The_vulnerability_check_fails_on_a_listed_package_or_no_verdict(string listing, int exitCode)
    {
        var result = await CliWrap.Cli.Wrap("bash").WithArguments([".github/scripts/fail-on-vulnerable-packages.sh"])
            .WithWorkingDirectory(Root).WithStandardInputPipe(PipeSource.FromString(listing))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

        result.ExitCode.ShouldBe(exitCode, result.StandardOutput);
        result.StandardOutput.ShouldStartWith(listing);
    }

    private const string VulnerableListing = """
        The following sources were used:
           https://api.nuget.org/v3/index.json

        The given project `A` has no vulnerable packages given the current sources.
        Project `B` has the following vulnerable packages
           [net10.0]:
           Transitive Package      Resolved   Severity   Advisory URL
           > Newtonsoft.Json       12.0.1     High       https://github.com/advisories/GHSA-5crp-9r3c-p9vr
        """;

    /// <summary><c>dotnet run --project &lt;project&gt; -- &lt;command words&gt; &lt;options and arguments&gt;</c>, to the end of the line.</summary>
    [GeneratedRegex(@"dotnet run --project (?<project>\S+) -- (?<command>(?:[a-z][a-z-]* ?)+)(?<rest>[^\n)]*)")]
    private static partial Regex CliCall();

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex Option();

    [GeneratedRegex(@"\bbash (?<path>[\w./-]+\.sh|\.ci/[\w-]+)")]
    private static partial Regex Script();
}
