using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.Testing;
using static OS2BorgerPC.Deploy.Cli.Tests.Status.FakeFleetCluster;

namespace OS2BorgerPC.Deploy.Cli.Tests.Status;

/// <summary>
/// <c>fleet status</c> against recorded stack outputs and a fake kubectl: a healthy tenant, one with every kind of
/// problem, one whose stack does not exist and whose cluster does not answer, one without the commit output.
/// </summary>
public sealed class FleetStatusCommandTests : IDisposable
{
    private readonly TempRepository _repository = new();
    private readonly FakeFleetCluster _cluster = new();

    public FleetStatusCommandTests()
    {
        foreach (var code in new[] { "751", "461", "630", "615" })
        {
            // aarhus is the canary: the healthy one.
            _repository.Run("tenant", "new", code, "--ring", code == "751" ? "canary" : "broad").ShouldSucceed();
        }
        _cluster.Deployed("os2borgerpc-aarhus", "7.1.0", Main, Now.AddHours(-4), Now.AddDays(60));
        _cluster.Deployed("os2borgerpc-odense", "7.0.9", "0123456789abcdef0123456789abcdef01234567", Now.AddHours(-30), Now.AddDays(5), readyPods: 1);
        _cluster.Deployed("os2borgerpc-horsens", "7.1.0", commit: null, Now.AddHours(-4), Now.AddDays(60));
        _cluster.UnreachableNamespaces.Add("os2borgerpc-vejle");
        File.WriteAllText(Path.Combine(_repository.Root, "drift-result.json"), """
            { "tenants": {
                "aarhus": { "result": "clean", "checkedAt": "2026-03-02T04:40:00Z" },
                "odense": { "result": "drifted", "checkedAt": "2026-03-02T04:41:00Z", "detail": "2 resources changed" } } }
            """);
    }

    public void Dispose() => _repository.Dispose();

    private CliRun Status(params string[] args) => CliRun.In(_repository.Root, new Shell(_cluster, new FixedTime(Now), TimeSpan.Zero), ["fleet", "status", .. args]);

    /// <summary>deploy.yml's gate between rings: a ring is healthy (exit 0) when its own tenants are, whatever the others' state.</summary>
    [Fact]
    public void One_ring_s_status_judges_that_ring_s_tenants_only()
    {
        var canary = Status("--ring", "canary");
        canary.ExitCode.ShouldBe(0, canary.Output + canary.Error);
        canary.Output.ShouldContain("aarhus");
        canary.Output.ShouldNotContain("odense");

        var broad = Status("--ring", "broad");
        broad.ExitCode.ShouldBe(1);
        broad.Output.ShouldNotContain("aarhus.borgerpc.dk");
    }

    [Fact]
    public void The_table_shows_each_tenant_and_what_needs_attention_and_the_exit_code_says_so()
    {
        var run = Status();

        run.ExitCode.ShouldBe(1, run.Output + run.Error);
        Row(run, "aarhus").ShouldBe(["aarhus", "7.1.0", "7.1.0", "6a96d19567bf", "4 h ago", "60 days left", "2/2", "clean", "https://aarhus.borgerpc.dk/", "canary"]);
        Row(run, "odense")[2..8].ShouldBe(["7.0.9", "0123456789ab", "30 h ago", "5 days left", "1/2", "drifted"]);
        Row(run, "vejle")[2..8].ShouldBe(["unknown", "unknown", "unknown", "unknown", "unknown", "unknown"]);
        run.Output.ShouldContain($"vejle: pods unknown: {Unreachable}");
        run.Output.ShouldContain("vejle: commit unknown: no stack 'vejle' in the Pulumi backend (pulumi stack init vejle)");
        run.Output.ShouldContain("vejle: drift unknown: not in the drift result file");
        run.Output.ShouldContain("horsens: commit unknown: the stack has no tag os2borgerpc-deployed-commit");
        run.Output.ShouldContain("odense: last successful backup 30 h ago (more than 26 h)");
        run.Output.ShouldContain("odense: runs 7.0.9, the stack file wants 7.1.0: run 'fleet up --tenant odense'");
        run.Output.ShouldNotContain("aarhus: ");
        run.Output.ShouldNotContain("horsens: last");
        run.Error.ShouldContain("fleet status: 2 of 4 tenant(s) need attention (odense, vejle).");
    }

    [Fact]
    public void A_healthy_selection_exits_0()
    {
        var run = Status("--tenant", "aarhus", "--tenant", "horsens");

        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        run.Error.ShouldBe($"fleet status: all 2 tenant(s) are fine.{Environment.NewLine}");
    }

    [Fact]
    public void An_unreachable_cluster_is_asked_once_not_once_per_fact()
    {
        Status("--tenant", "vejle");

        _cluster.Calls.Count(c => c.Program == Kubectl.Program).ShouldBe(1);
    }

    [Fact]
    public void The_json_has_every_fact_or_why_it_is_unknown()
    {
        var run = Status("--json");

        var tenants = JsonNode.Parse(run.Output)!["tenants"]!.AsArray();
        tenants.Select(t => (string?)t!["tenant"]).ShouldBe(["aarhus", "horsens", "odense", "vejle"]);
        var odense = tenants[2]!;
        ((string?)odense["deployedVersion"]).ShouldBe("7.0.9");
        ((double?)odense["backupAgeHours"]).ShouldBe(30);
        ((int?)odense["pods"]!["ready"]).ShouldBe(1);
        ((string?)odense["drift"]!["verdict"]).ShouldBe("drifted");
        odense["attention"]!.AsArray().Select(a => (string?)a!["check"]).ShouldBe(["version", "commit", "backup", "certificate", "pods", "drift"]);
        ((string?)tenants[3]!["lastBackup"]!["unknown"]).ShouldBe(Unreachable);
        ((bool?)tenants[0]!["needsAttention"]).ShouldBe(false);
    }

    [Fact]
    public void The_html_page_puts_the_tenants_that_need_attention_first_and_the_healthy_ones_after()
    {
        var page = Path.Combine(_repository.Root, "fleet-status.html");

        Status("--html", page).ExitCode.ShouldBe(1);

        var document = new HtmlParser().ParseDocument(File.ReadAllText(page));
        document.QuerySelector("#summary .headline")!.TextContent.ShouldBe("4 tenants: 2 healthy, 2 need attention");
        var attention = document.QuerySelectorAll("#attention tbody tr");
        attention.Select(r => r.GetAttribute("data-tenant")).ShouldBe(["odense", "vejle"]);
        attention[0].QuerySelectorAll("ul.problems li").Select(c => c.GetAttribute("data-check")).ShouldBe(
            ["version", "commit", "backup", "certificate", "pods", "drift"]);
        document.QuerySelectorAll("#healthy li").Select(r => r.GetAttribute("data-tenant")).ShouldBe(["aarhus", "horsens"]);
    }

    [Fact]
    public void An_html_file_in_a_missing_folder_is_refused_before_anything_is_gathered()
    {
        Status("--html", "no/such/folder/status.html").ShouldFail("the folder");

        _cluster.Calls.ShouldBeEmpty();
    }

    [Fact]
    public void An_unwritable_html_file_is_a_clear_error()
    {
        var folder = _repository.Folder("page-is-a-folder.html");

        Status("--tenant", "aarhus", "--html", folder).ShouldFail($"--html {folder}: cannot write it");
    }

    [Fact]
    public void An_invalid_drift_file_names_the_file()
    {
        File.WriteAllText(Path.Combine(_repository.Root, "drift-result.json"), "{}");

        Status().ShouldFail("drift-result.json: (file): is not a drift result file");
        _cluster.Calls.ShouldBeEmpty();
    }

    [Fact]
    public void A_tenant_that_renders_to_a_folder_has_no_cluster_to_ask()
    {
        File.WriteAllText(_repository.StackPath("demo"), RepositoryRoot.StackText("demo"));

        var run = Status("--tenant", "demo");

        run.Output.ShouldContain("demo: pods unknown: renders manifests to rendered/demo; there is no cluster");
        _cluster.Calls.ShouldNotContain(c => c.Program == Kubectl.Program);
    }

    private static string[] Row(CliRun run, string tenant) =>
        CliRun.Cells(run.Output.Split('\n').Single(line => CliRun.Cells(line).FirstOrDefault() == tenant));
}
