using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;
using static OS2BorgerPC.Deploy.Testing.WorkflowFiles;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Workflows;

/// <summary>
/// restore-drill.yml: a drill a day on the month's drill days, the day's tenant (fleet drill) restored into the drill
/// tenant and checked; every write it makes names the drill tenant; its result is recorded as the file fleet status --drills reads.
/// </summary>
public sealed class RestoreDrillWorkflowTests
{
    private static readonly YamlDotNet.RepresentationModel.YamlMappingNode Drill = Workflow("restore-drill").Jobs()["drill"];

    private static readonly YamlDotNet.RepresentationModel.YamlMappingNode Turn = Workflow("restore-drill").Jobs()["turn"];

    private static IReadOnlyList<string> Runs => [.. Drill.Steps().Select(s => s.Text("run")).OfType<string>()];

    [Fact]
    public void It_runs_from_main_as_production_one_at_a_time_only_on_a_day_with_a_tenant()
    {
        var workflow = Workflow("restore-drill");

        workflow.Get("on")!.Get("workflow_dispatch")!.Get("inputs")!.Get("tenant").ShouldNotBeNull();
        Turn.Text("if").ShouldBe("github.ref == 'refs/heads/main'");
        Turn.Get("environment").ShouldBeNull("choosing the day's tenant reads the stack files only");
        Drill.Text("needs").ShouldBe("turn");
        Drill.Text("if").ShouldBe("needs.turn.outputs.tenant != ''");
        Drill.Text("environment").ShouldBe(CiIdentities.ProductionEnvironment);
        workflow.Get("concurrency")!.Text("cancel-in-progress").ShouldBe("false");
        var turn = Turn.Steps().Single(s => s.Text("id") == "turn").Text("run")!;
        turn.ShouldContain("-- fleet drill --tenant \"$ASKED\"");
        turn.ShouldContain("-- fleet drill)");
    }

    /// <summary>
    /// One drill a run, on each of RestoreDrills' drill days: as many runs a month as the month's drills of the 98
    /// municipalities (nine), and the run's timeout covers one drill of a full large tenant (its recovery time objective).
    /// </summary>
    [Fact]
    public void It_runs_on_each_drill_day_enough_for_the_98_municipalities_with_the_time_of_one_large_restore()
    {
        var cron = Workflow("restore-drill").Get("on")!.Get("schedule")!.AllScalars().Single().Split(' ');
        var days = cron[2].Split('-').Select(int.Parse).ToArray();

        (days[0], days[1]).ShouldBe((RestoreDrills.FirstDrillDay, RestoreDrills.LastDrillDay));
        (cron[3], cron[4]).ShouldBe(("*", "*"));
        var fleet = MunicipalityRegister.All.Select(m => m.Slug).ToList();
        RestoreDrills.PerMonth(fleet.Count).ShouldBe(9);
        (days[1] - days[0] + 1).ShouldBeGreaterThanOrEqualTo(RestoreDrills.PerMonth(fleet.Count));
        // Every drill day of a month names the tenant of its slot, none twice.
        Enumerable.Range(days[0], RestoreDrills.PerMonth(fleet.Count)).Select(day => RestoreDrills.TenantOn(fleet, new DateOnly(2026, 12, day)))
            .ShouldBe(RestoreDrills.TenantsFor(fleet, 2026, 12));
        int.Parse(Drill.Text("timeout-minutes")!).ShouldBeGreaterThanOrEqualTo((int)RecoveryObjectives.For(Hosting.Kubernetes, SizeTier.Large).TimeObjective.TotalMinutes);
    }

    [Fact]
    public void The_drill_tenant_is_the_kits_and_every_write_names_it()
    {
        var env = Workflow("restore-drill").Get("env")!;
        env.Text("DRILL_TENANT").ShouldBe(RestoreDrills.DrillTenant);
        env.Text("DRILL_NAMESPACE").ShouldBe(TenantNames.For(RestoreDrills.DrillTenant, "any").Namespace);

        var lines = Runs.SelectMany(run => run.Split('\n')).Select(line => line.Trim()).ToList();
        lines.Single(line => line.Contains("tenant restore", StringComparison.Ordinal))
            .ShouldContain("--into \"$DRILL_TENANT\" --backup \"$BACKUP\" --media --yes");
        // kubectl that changes anything: only in the drill's namespace.
        foreach (var line in lines.Where(line => line.StartsWith("kubectl", StringComparison.Ordinal) &&
            (line.Contains(" scale ", StringComparison.Ordinal) || line.Contains(" rollout restart", StringComparison.Ordinal) || line.Contains("DROP", StringComparison.Ordinal)
             || line.Contains(" rm ", StringComparison.Ordinal) || line.Contains("-f -", StringComparison.Ordinal) || line.Contains(" delete ", StringComparison.Ordinal))))
        {
            line.ShouldStartWith("kubectl -n \"$DRILL_NAMESPACE\"", customMessage: line);
        }
    }

    [Fact]
    public void It_checks_the_row_counts_and_the_login_page_through_the_drill_tenants_service()
    {
        var rows = Runs.Single(run => run.Contains("tenant-rows.txt", StringComparison.Ordinal));
        rows.ShouldContain("rows \"$DRILL_NAMESPACE\" > drill-rows.txt");
        rows.ShouldContain("exit bad");
        var login = Runs.Single(run => run.Contains("port-forward", StringComparison.Ordinal));
        login.ShouldContain($"service/{TrafficObjects.WebService} 18080:{TrafficObjects.WebServicePort}");
        login.ShouldContain($"http://127.0.0.1:18080{AdminSitePorts.ReadinessPath}");
    }

    [Fact]
    public void The_result_is_recorded_whatever_happened_and_the_drill_tenant_emptied_after()
    {
        var steps = Drill.Steps().ToList();
        var record = steps.FindIndex(s => s.Text("run")?.Contains($"> {RestoreDrills.ResultFile}", StringComparison.Ordinal) == true);
        var upload = steps.FindIndex(s => s.Text("uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
        var empty = steps.FindIndex(s => s.Text("run")?.Contains("DROP SCHEMA", StringComparison.Ordinal) == true);

        record.ShouldBeGreaterThan(0);
        upload.ShouldBeGreaterThan(record);
        empty.ShouldBeGreaterThan(upload);
        steps[record].Text("if")!.ShouldStartWith("always()");
        steps[upload].Text("if")!.ShouldStartWith("always()");
        steps[empty].Text("if")!.ShouldStartWith("always()");
        steps[upload].Get("with")!.Text("path").ShouldBe(RestoreDrills.ResultFile);
        // The fields RestoreDrills.Parse reads.
        steps[record].Text("run")!.ShouldContain("{tenant: $tenant, date: $date, durationSeconds: $duration, result: $result}");
    }
}
