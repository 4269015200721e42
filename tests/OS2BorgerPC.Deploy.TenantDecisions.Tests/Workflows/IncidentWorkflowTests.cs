using System.Diagnostics;
using OS2BorgerPC.Deploy.Testing;
using static OS2BorgerPC.Deploy.Testing.WorkflowFiles;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Workflows;

/// <summary>
/// The workflows under failure: every job that runs pulumi or the fleet command is bounded (a hung pulumi is stopped
/// by the runner, not after GitHub's 6 h default), and the scheduled status run keeps one GitHub issue of what needs
/// attention, closed when all is well. The issue script is run by bash against a fake <c>gh</c>.
/// </summary>
public sealed class IncidentWorkflowTests
{
    [Fact]
    public void Every_job_that_runs_pulumi_or_the_fleet_command_has_a_timeout()
    {
        var stackJobs = WorkflowFiles.Workflows
            .SelectMany(file => Load(file).Jobs().Select(job => (Name: $"{Path.GetFileNameWithoutExtension(file)}/{job.Key}", Job: job.Value)))
            .Where(j => j.Job.Steps().Any(RunsPulumiOrFleet))
            .ToList();

        stackJobs.Select(j => j.Name).ShouldBe(["deploy/behind", "drift/status", "restore-drill/turn", "restore-drill/drill", "ring-status/status", "tenant-stacks/stack"], ignoreOrder: true);
        stackJobs.Where(j => j.Job.Text("timeout-minutes") is null).Select(j => j.Name).ShouldBeEmpty();
    }

    [Fact]
    public void A_stack_up_is_bounded_longer_than_its_pre_upgrade_backup_and_rollout_and_the_rest_at_30_minutes() =>
        // The pre-upgrade backup Job waits up to 30 min and the rollout 15 (docs/RUNBOOK.md, "Upgrading the admin site").
        Workflow("tenant-stacks").Jobs()["stack"].Text("timeout-minutes").ShouldBe("${{ inputs.operation == 'up' && 75 || 30 }}");

    [Fact]
    public void The_attention_issue_is_kept_by_its_own_job_after_the_status_whatever_it_found()
    {
        var attention = Workflow("drift").Jobs()["attention"];

        attention.Text("needs").ShouldBe("status");
        attention.Text("if").ShouldBe("always() && (needs.status.result == 'success' || needs.status.result == 'failure')");
        attention.Permissions().ShouldBe(new Dictionary<string, string> { ["issues"] = "write" });
        attention.Get("environment").ShouldBeNull("no environment: its secrets and identity stay out of the job that writes issues");
        WorkflowFiles.Workflows.SelectMany(file => Load(file).Jobs().Where(j => j.Value.Permissions()?.ContainsKey("issues") == true).Select(j => $"{file}/{j.Key}"))
            .ShouldBe([".github/workflows/drift.yml/attention"]);
    }

    [Fact]
    public void A_failed_status_run_opens_one_issue_with_the_list()
    {
        var gh = RunAttention("failure", openIssue: null, list: "odense  7.0.9  ...  WAL archiving of odense-db failing");

        gh.Calls.ShouldContain(c => c.StartsWith("issue create --title Fleet: tenants need attention --label fleet-attention --body-file body.md", StringComparison.Ordinal));
        gh.Body.ShouldContain("WAL archiving of odense-db failing");
        gh.Calls.ShouldNotContain(c => c.StartsWith("issue close", StringComparison.Ordinal));
    }

    [Fact]
    public void A_later_failed_run_updates_the_open_issue_instead_of_opening_another()
    {
        var gh = RunAttention("failure", openIssue: "42", list: null);

        gh.Calls.ShouldContain("issue edit 42 --body-file body.md");
        gh.Calls.ShouldNotContain(c => c.StartsWith("issue create", StringComparison.Ordinal));
        gh.Body.ShouldContain("The status job failed before it listed the tenants");
    }

    [Fact]
    public void A_clean_run_closes_the_open_issue_and_a_clean_run_without_one_does_nothing()
    {
        RunAttention("success", openIssue: "42", list: null).Calls.ShouldContain(c => c.StartsWith("issue close 42 --comment All tenants are well again", StringComparison.Ordinal));
        RunAttention("success", openIssue: null, list: null).Calls.ShouldBe(["issue list --label fleet-attention --state open --json number --jq .[0].number // empty"]);
    }

    private static bool RunsPulumiOrFleet(YamlDotNet.RepresentationModel.YamlMappingNode step) =>
        step.Text("uses")?.StartsWith("pulumi/actions@", StringComparison.Ordinal) == true
        || step.Text("run") is { } run && (run.Contains("pulumi ", StringComparison.Ordinal) || run.Contains("-- fleet ", StringComparison.Ordinal));

    private sealed record GhCalls(IReadOnlyList<string> Calls, string Body);

    /// <summary>The attention step's script, run by bash (as GitHub runs a step, <c>bash -e</c>) with a fake gh.</summary>
    private static GhCalls RunAttention(string result, string? openIssue, string? list)
    {
        var script = Workflow("drift").Jobs()["attention"].Steps().Single(s => s.Text("name") == "Open, update or close the issue").Text("run")!;
        var dir = Directory.CreateTempSubdirectory("attention-");
        try
        {
            // gh as a shell function ahead of the script: records its arguments, answers the list, keeps the body.
            var fakeGh = $"gh() {{ echo \"$*\" >> calls; case \"$1 $2\" in 'issue list') echo '{openIssue}' ;; 'issue create'|'issue edit') cp body.md body ;; esac; }}\n";
            if (list is not null)
            {
                File.WriteAllText(Path.Combine(dir.FullName, "fleet-status.txt"), list);
            }
            var start = new ProcessStartInfo("bash", ["-e", "-c", fakeGh + script]) { WorkingDirectory = dir.FullName, RedirectStandardError = true, RedirectStandardOutput = true };
            start.Environment["RESULT"] = result;
            start.Environment["RUN_URL"] = "https://github.com/o/r/actions/runs/1";
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            process.ExitCode.ShouldBe(0, stderr);
            var calls = Path.Combine(dir.FullName, "calls");
            var body = Path.Combine(dir.FullName, "body");
            return new GhCalls(File.Exists(calls) ? File.ReadAllLines(calls) : [], File.Exists(body) ? File.ReadAllText(body) : "");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
