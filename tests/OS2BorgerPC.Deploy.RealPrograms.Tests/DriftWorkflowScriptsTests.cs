using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// The nightly drift workflow's scripts under bash with the real jq, as the runners run them: each tenant's check
/// against a fake pulumi that answers as the real one does (Pulumi 3.226.1 and later exit 7 on drift, earlier ones
/// 255 with another message), then the merge into the file <c>fleet status --drift</c> reads, read back by its real parser.
/// And every script the workflows run passes shellcheck.
/// </summary>
public sealed class DriftWorkflowScriptsTests : IDisposable
{
    private static readonly string Scripts = Path.Combine(RepositoryRoot.FullPath, ".github", "scripts");

    // FAKE_REFRESH_<stack> decides what the refresh of that stack finds; the arguments are kept in $FAKE_DIR/calls.
    private const string FakePulumi = """
        #!/bin/sh
        echo "$*" >> "$FAKE_DIR/calls"
        previous= stack=
        for argument in "$@"; do [ "$previous" != --stack ] || stack=$argument; previous=$argument; done
        case $(printenv "FAKE_REFRESH_$(echo "$stack" | tr - _)") in
            clean) printf 'Refreshing (%s):\nResources:\n    14 unchanged\n' "$stack" ;;
            drifted)
                printf 'Refreshing (%s):\n  ~ kubernetes:apps/v1:Deployment admin-site refresh\nResources:\n    \033[33m~ 2 to update\033[0m\n    - 1 to delete\n    11 unchanged\n' "$stack"
                echo "error: no changes were expected for refresh but changes were proposed" >&2; exit 7 ;;
            drifted-before-3.226)
                printf 'Resources:\n    ~ 1 to update\n    13 unchanged\n'
                echo "error: no changes were expected but changes occurred" >&2; exit 255 ;;
            unreachable)
                echo "error: preview failed: Get \"https://aks.example:443/api\": dial tcp: i/o timeout" >&2; exit 255 ;;
            *) echo "fake pulumi: no FAKE_REFRESH for '$stack'" >&2; exit 2 ;;
        esac
        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("os2bpc-drift-");

    public DriftWorkflowScriptsTests()
    {
        var fake = Path.Combine(_folder.FullName, "pulumi");
        File.WriteAllText(fake, FakePulumi.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
    }

    private string Entries => Path.Combine(_folder.FullName, "entries");

    public static TheoryData<string> WorkflowScripts() =>
        new(Directory.GetFiles(Scripts, "*.sh").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(WorkflowScripts))]
    public void Every_workflow_script_passes_shellcheck(string script) =>
        RealProgram.Find("shellcheck", "shellcheck").Run([Path.Combine(Scripts, script)]).ShouldSucceed();

    [Theory]
    [InlineData("clean", true, DriftVerdict.Clean, null)]
    [InlineData("drifted", false, DriftVerdict.Drifted, "2 to update, 1 to delete")]
    [InlineData("drifted-before-3.226", false, DriftVerdict.Drifted, "1 to update")]
    [InlineData("unreachable", false, DriftVerdict.Failed, "preview failed: Get \"https://aks.example:443/api\": dial tcp: i/o timeout")]
    public void A_check_writes_its_verdict_and_fails_unless_clean(string refresh, bool succeeds, DriftVerdict verdict, string? detail)
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var run = Check("aarhus", refresh);

        run.ExitCode.ShouldBe(succeeds ? 0 : 1, run.Transcript);
        // The refresh's own output stays in the job's log for the operator.
        run.Output.ShouldContain(refresh == "unreachable" ? "dial tcp: i/o timeout" : "Resources:");
        File.ReadAllText(Path.Combine(_folder.FullName, "calls")).Trim()
            .ShouldBe("refresh --non-interactive --cwd . --stack aarhus --preview-only --expect-no-changes --diff");
        var results = Merge("[\"aarhus\"]");
        results.ShouldContainKey("aarhus");
        var result = results["aarhus"];
        result.Verdict.ShouldBe(verdict);
        result.Detail.ShouldBe(detail);
        result.CheckedAt.ShouldBeInRange(before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public void The_merged_file_has_every_tenant_of_the_run_and_reports_those_without_a_verdict()
    {
        Check("aarhus", "clean");
        Check("odense", "drifted");
        Check("faelles-it", "unreachable");
        // A job that stopped before its check (no stack in the backend) wrote nothing; one wrote nonsense.
        File.WriteAllText(Path.Combine(Entries, "vejle.json"), "{\"vejle\": {\"result\": \"maybe\", \"checkedAt\": \"2026-03-01T04:40:00Z\"}}");
        File.WriteAllText(Path.Combine(Entries, "broken.json"), "not json");
        // A verdict from a tenant this run did not check is not reported.
        Check("removed", "clean");

        var results = Merge("[\"aarhus\",\"odense\",\"faelles-it\",\"horsens\",\"vejle\"]");

        results.Keys.ShouldBe(["aarhus", "odense", "faelles-it", "horsens", "vejle"], ignoreOrder: true);
        results["aarhus"].Verdict.ShouldBe(DriftVerdict.Clean);
        results["odense"].Verdict.ShouldBe(DriftVerdict.Drifted);
        results["odense"].Detail.ShouldBe("2 to update, 1 to delete");
        results["faelles-it"].Verdict.ShouldBe(DriftVerdict.Failed);
        results["horsens"].Verdict.ShouldBe(DriftVerdict.Failed);
        results["horsens"].Detail.ShouldBe("no verdict: its drift job ended before the check (see the job in this run)");
        results["vejle"].Verdict.ShouldBe(DriftVerdict.Failed);
        results["vejle"].Detail.ShouldBe("its drift check wrote an entry that cannot be read");
    }

    [Fact]
    public void A_run_whose_checks_all_ended_early_reports_every_tenant_failed()
    {
        // No artifact was downloaded: the folder does not even exist.
        var results = Merge("[\"aarhus\",\"odense\"]");

        results.Values.ShouldAllBe(r => r.Verdict == DriftVerdict.Failed);
        results.Count.ShouldBe(2);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private ProgramRun Check(string stack, string refresh) =>
        RealProgram.Find("bash", "bash").Run([Path.Combine(Scripts, "drift-check.sh"), stack, Path.Combine(Entries, $"{stack}.json")], Environment(new()
        {
            [$"FAKE_REFRESH_{stack.Replace('-', '_')}"] = refresh,
        }));

    /// <summary>The merged file of <paramref name="tenants"/> (a JSON array), as <c>fleet status --drift</c> reads it.</summary>
    private IReadOnlyDictionary<string, DriftResult> Merge(string tenants)
    {
        var run = RealProgram.Find("bash", "bash").Run([Path.Combine(Scripts, "drift-merge.sh"), tenants, Entries], Environment(new())).ShouldSucceed();
        var (results, problem) = DriftResults.Parse(run.Output, "drift-result.json");
        problem.ShouldBeNull(run.Transcript);
        return results.ShouldNotBeNull();
    }

    private Dictionary<string, string?> Environment(Dictionary<string, string?> extra)
    {
        RealProgram.Find("jq", "jq");
        extra["PATH"] = $"{_folder.FullName}:{System.Environment.GetEnvironmentVariable("PATH")}";
        extra["FAKE_DIR"] = _folder.FullName;
        return extra;
    }
}
