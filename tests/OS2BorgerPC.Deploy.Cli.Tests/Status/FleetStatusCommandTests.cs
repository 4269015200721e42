using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.Testing;
using static OS2BorgerPC.Deploy.Cli.Tests.Status.FakeFleetCluster;

namespace OS2BorgerPC.Deploy.Cli.Tests.Status;

/// <summary>
/// <c>fleet status</c> against recorded stack tags and a fake Kubernetes API: a healthy tenant, one with every kind of
/// problem, one whose stack does not exist and whose cluster (a closed port) does not answer, one without the commit tag.
/// </summary>
[UnsupportedOSPlatform("windows")] // FakeFleetCluster's exec plugins are shell scripts
public sealed class FleetStatusCommandTests : IDisposable
{
    private readonly TempRepository _repository = new();
    private readonly FakeFleetCluster _cluster;

    public FleetStatusCommandTests()
    {
        _cluster = new FakeFleetCluster(_repository.Root);
        foreach (var code in new[] { "751", "461", "630", "615" })
        {
            // aarhus is the canary: the healthy one.
            _repository.Run("tenant", "new", code, "--ring", code == "751" ? "canary" : "broad").ShouldSucceed();
        }
        OnContext("vejle", UnreachableContext);
        _cluster.Deployed("os2borgerpc-aarhus", "7.1.0", Main, Now.AddHours(-4), Now.AddDays(60));
        _cluster.Deployed("os2borgerpc-odense", "7.0.9", "0123456789abcdef0123456789abcdef01234567", Now.AddHours(-30), Now.AddDays(5), readyPods: 1);
        _cluster.Deployed("os2borgerpc-horsens", "7.1.0", commit: null, Now.AddHours(-4), Now.AddDays(60));
        File.WriteAllText(Path.Combine(_repository.Root, "drift-result.json"), """
            { "tenants": {
                "aarhus": { "result": "clean", "checkedAt": "2026-03-02T04:40:00Z" },
                "odense": { "result": "drifted", "checkedAt": "2026-03-02T04:41:00Z", "detail": "2 resources changed" } } }
            """);
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _repository.Dispose();
    }

    private string Unreachable => $"the cluster (context {UnreachableContext}) did not answer: Connection refused (127.0.0.1:{_cluster.ClosedPort})";

    private CliRun Status(params string[] args) => StatusWith(_cluster.Kubeconfig, args);

    private CliRun StatusWith(string kubeconfig, params string[] args) =>
        CliRun.In(_repository.Root, new Shell(_cluster, new FixedTime(Now), TimeSpan.Zero) { Kubeconfig = kubeconfig }, ["fleet", "status", .. args]);

    /// <summary>The tenant's stack file names a kubeconfig context.</summary>
    private void OnContext(string stack, string context)
    {
        var text = File.ReadAllText(_repository.StackPath(stack));
        text.ShouldContain("    cluster: {}\n");
        File.WriteAllText(_repository.StackPath(stack), text.Replace("    cluster: {}\n", $"    cluster:\n      context: {context}\n"));
    }

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
        Row(run, "aarhus").ShouldBe(["aarhus", "7.1.0", "7.1.0", "6a96d19567bf", "4 h ago", "60 days left", "2/2", "clean", "none", "https://aarhus.borgerpc.dk/", "canary"]);
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
    public void The_fleet_costs_one_list_per_kind_not_one_per_tenant_and_no_kubectl()
    {
        Status().ExitCode.ShouldBe(1);

        var lists = _cluster.Requests.Select(r => r.Split('?')[0]).ToList();
        lists.Order().ShouldBe(new[]
        {
            "/api/v1/pods", "/apis/apps/v1/deployments", "/apis/batch/v1/jobs", "/apis/cert-manager.io/v1/certificates",
            "/apis/postgresql.cnpg.io/v1/backups", "/apis/postgresql.cnpg.io/v1/clusters",
        });
        // CloudNativePG's Backups carry no label of ours; everything else is selected by the tenant label.
        _cluster.Requests.Where(r => !r.StartsWith("/apis/postgresql.cnpg.io/v1/backups", StringComparison.Ordinal))
            .ShouldAllBe(r => r.Contains("labelSelector=os2borgerpc.dk%2Ftenant"));
        _cluster.Calls.ShouldNotContain(c => c.Program == "kubectl");
        _cluster.Calls.Count(c => c.Program == "git").ShouldBe(1);
    }

    [Fact]
    public void A_cluster_that_does_not_answer_makes_its_tenants_unknown_with_the_reason_and_is_asked_once()
    {
        var run = Status("--tenant", "vejle");

        run.ExitCode.ShouldBe(1);
        foreach (var fact in new[] { "deployed version unknown", "no successful backup found", "certificate expiry unknown", "pods unknown" })
        {
            run.Output.ShouldContain($"vejle: {fact}: {Unreachable}");
        }
        _cluster.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void A_missing_CloudNativePG_CRD_is_no_backup_kind_and_a_missing_cert_manager_CRD_an_unknown_certificate()
    {
        _cluster.Uninstall("certificates");

        var run = Status("--tenant", "aarhus", "--json");

        var aarhus = JsonNode.Parse(run.Output)!["tenants"]![0]!;
        ((string?)aarhus["lastBackup"]).ShouldBe("2026-03-02T02:00:00+00:00");
        ((string?)aarhus["certificateNotAfter"]!["unknown"]).ShouldBe(
            "the cluster (the current kubeconfig context) has no resource type certificates.cert-manager.io (is its CRD installed?)");
        ((string?)aarhus["deployedVersion"]).ShouldBe("7.1.0");
    }

    [Fact]
    public void A_context_that_signs_in_through_an_exec_plugin_sends_its_token()
    {
        OnContext("aarhus", ExecContext);

        var run = Status("--tenant", "aarhus");

        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        _cluster.Authorizations.ShouldNotBeEmpty();
        _cluster.Authorizations.ShouldAllBe(header => header == $"Bearer {ExecToken}");
    }

    [Fact]
    public void A_failing_exec_plugin_makes_the_facts_unknown_with_its_message()
    {
        OnContext("aarhus", FailingExecContext);

        var run = Status("--tenant", "aarhus");

        // KubernetesClient 21 leaves the plugin's standard error to the terminal (as kubectl does) and reports the missing
        // credential on its standard output; the reason is its message's first line.
        run.Output.Split('\n').Single(line => line.StartsWith("aarhus: pods unknown", StringComparison.Ordinal)).TrimEnd().ShouldBe(
            $"aarhus: pods unknown: kubeconfig ({_cluster.Kubeconfig}): external exec failed due to failed deserialization process: "
            + "System.Text.Json.JsonException: The input does not contain any JSON tokens. Expected the input to start with a valid JSON token, when isFinalBlock is true. Path: $ | LineNumber: 0 | BytePositionInLine: 0.");
        _cluster.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void Without_a_kubeconfig_the_facts_are_unknown_with_the_fix()
    {
        var missing = Path.Combine(_repository.Root, "no-such-kubeconfig");

        var run = StatusWith(missing, "--tenant", "aarhus");

        run.Output.ShouldContain($"aarhus: pods unknown: no kubeconfig: none of the files in KUBECONFIG ({missing}) exists");
    }

    [Fact]
    public void A_context_the_kubeconfig_does_not_name_is_unknown_with_the_kubeconfig_s_answer()
    {
        OnContext("aarhus", "aks-nowhere");

        var run = Status("--tenant", "aarhus");

        run.Output.ShouldContain($"aarhus: pods unknown: kubeconfig ({_cluster.Kubeconfig}): CurrentContext: aks-nowhere not found in contexts in kubeconfig");
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
        ((string?)tenants[3]!["certificateNotAfter"]!["unknown"]).ShouldBe(Unreachable);
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

    /// <summary>The restore drills' results (restore-drill.yml's drill-result.json files in one array): the newest per tenant shown, a failed one flagged.</summary>
    [Fact]
    public void Each_tenants_last_drill_is_shown_and_a_failed_one_needs_attention()
    {
        File.WriteAllText(Path.Combine(_repository.Root, "drills.json"), """
            [ { "tenant": "aarhus", "date": "2026-02-03T06:30:00Z", "durationSeconds": 840, "result": "failed" },
              { "tenant": "aarhus", "date": "2026-03-01T06:30:00Z", "durationSeconds": 840, "result": "passed" },
              { "tenant": "horsens", "date": "2026-01-03T06:30:00Z", "durationSeconds": 3600, "result": "failed", "detail": "the login page answered 502" } ]
            """);

        var run = Status("--tenant", "aarhus", "--tenant", "horsens", "--drills", "drills.json");

        run.ExitCode.ShouldBe(1);
        Row(run, "aarhus")[8].ShouldBe("passed 2026-03-01, 14 min");
        Row(run, "horsens")[8].ShouldBe("failed 2026-01-03, 1 h");
        run.Output.ShouldContain("horsens: the restore drill of 2026-01-03 failed (the login page answered 502)");
        run.Output.ShouldNotContain("aarhus: ");
    }

    [Fact]
    public void An_invalid_drills_file_names_the_file()
    {
        File.WriteAllText(Path.Combine(_repository.Root, "drill-results.json"), "{}");

        Status().ShouldFail("drill-results.json: (file): is not a drill results file");
        _cluster.Calls.ShouldBeEmpty();
    }

    [Fact]
    public void A_tenant_that_renders_to_a_folder_has_no_cluster_to_ask()
    {
        File.WriteAllText(_repository.StackPath("demo"), RepositoryRoot.StackText("demo"));

        var run = Status("--tenant", "demo");

        run.Output.ShouldContain("demo: pods unknown: renders manifests to rendered/demo; there is no cluster");
        _cluster.Requests.ShouldBeEmpty();
    }

    private static string[] Row(CliRun run, string tenant) =>
        CliRun.Cells(run.Output.Split('\n').Single(line => CliRun.Cells(line).FirstOrDefault() == tenant));
}
