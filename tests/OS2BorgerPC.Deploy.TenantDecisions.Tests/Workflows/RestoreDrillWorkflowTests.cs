using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;
using System.Diagnostics;
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
        turn.ShouldContain("-- fleet drill --access \"$tenant\")");
        Turn.Get("outputs")!.Text("access").ShouldBe("${{ steps.turn.outputs.access }}");
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
        // The restore has the large tier's RTO; the job more, so that the steps after it (the revoke) still run.
        var restore = int.Parse(Drill.Steps().Single(s => s.Text("id") == "restore").Text("timeout-minutes")!);
        restore.ShouldBeGreaterThanOrEqualTo((int)RecoveryObjectives.For(Hosting.Kubernetes, SizeTier.Large).TimeObjective.TotalMinutes);
        int.Parse(Drill.Text("timeout-minutes")!).ShouldBeGreaterThanOrEqualTo(restore + 60);
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

    private static readonly string OnAzureBlob = $"needs.turn.outputs.access == '{RestoreDrills.AccessName(DrillAccess.DrillFrom)}'";

    /// <summary>
    /// Least privilege in time: on an Azure Blob platform only, the drill tenant may read the day's tenant's container
    /// from before the restore until after the drill tenant is emptied; the revoke is the job's last step and runs
    /// whatever happened (a failed restore or check, a cancelled run) once the grant has started.
    /// </summary>
    [Fact]
    public void On_azure_blob_the_read_is_granted_before_the_restore_and_always_revoked_at_the_end()
    {
        var steps = Drill.Steps().ToList();
        var grant = steps.FindIndex(s => s.Text("run") == "bash .github/scripts/drill-access.sh grant \"$DRILL_TENANT\" \"$TENANT\"");
        var restore = steps.FindIndex(s => s.Text("id") == "restore");
        var empty = steps.FindIndex(s => s.Text("run")?.Contains("DROP SCHEMA", StringComparison.Ordinal) == true);
        var revoke = steps.FindIndex(s => s.Text("run") == "bash .github/scripts/drill-access.sh revoke \"$DRILL_TENANT\"");

        grant.ShouldBeGreaterThan(0, "the grant step is missing");
        revoke.ShouldBe(steps.Count - 1, "the revoke is missing or not the last step");
        grant.ShouldBeLessThan(restore);
        revoke.ShouldBeGreaterThan(empty);
        steps[grant].Text("id").ShouldBe("grant");
        steps[grant].Get("env")!.Text("TENANT").ShouldBe("${{ steps.pick.outputs.tenant }}");
        steps[revoke].Text("if").ShouldBe("always() && steps.grant.outcome != 'skipped'");
    }

    /// <summary>On S3 the tenant's key is lent and nothing is granted: no pulumi runs, the drill stack is not touched.</summary>
    [Fact]
    public void Only_an_azure_blob_drill_runs_pulumi_or_changes_the_drill_stack()
    {
        var pulumi = Drill.Steps().Where(s => s.Text("uses")?.StartsWith("pulumi/actions@", StringComparison.Ordinal) == true
            || s.Text("run")?.Contains("pulumi", StringComparison.Ordinal) == true || s.Text("run")?.Contains("drill-access.sh", StringComparison.Ordinal) == true).ToList();

        pulumi.Count.ShouldBe(3);
        pulumi.Where(s => s.Text("id") != null || s.Text("uses") != null).ShouldAllBe(s => s.Text("if") == OnAzureBlob);
        // The revoke follows the grant: it runs exactly where the grant ran (never on S3, where the grant is skipped).
        pulumi.Last().Text("if")!.ShouldContain("steps.grant.outcome != 'skipped'");
    }

    /// <summary>
    /// The drill job queues with tenant-stacks.yml's ups and drift checks of the drill stack (their group for the stack
    /// restore-drill): no deploy takes the read role away mid-restore, and no drift check runs while the role is granted.
    /// A group is repository-wide, one job running and one pending ("there can be at most one running and one pending job
    /// in a concurrency group at any time"; a newer queued one cancels the pending one: docs.github.com, "Control the
    /// concurrency of workflows and jobs").
    /// </summary>
    [Fact]
    public void The_drill_shares_the_drill_stacks_queue_with_its_ups_and_drift_checks()
    {
        var stackGroup = Workflow("tenant-stacks").Jobs()["stack"].Get("concurrency")!.Text("group")!;
        var concurrency = Drill.Get("concurrency").ShouldNotBeNull();

        concurrency.Text("group").ShouldBe(stackGroup
            .Replace("${{ inputs.project }}", CiIdentities.TenantProject, StringComparison.Ordinal)
            .Replace("${{ matrix.tenant }}", RestoreDrills.DrillTenant, StringComparison.Ordinal)
            .Replace("${{ inputs.operation == 'preview' && github.run_id || 'fleet' }}", "fleet", StringComparison.Ordinal));
        concurrency.Text("cancel-in-progress").ShouldBe("false");
    }

    /// <summary>
    /// The drill job's identity (production, which deploys the tenants) may make the drill's access and take it away: its
    /// conditioned Role Based Access Control Administrator allows Storage Blob Data Reader to a service principal on a
    /// container of the backup account (the drill-reader identity on the source's container, AzureDrillReader), and
    /// Contributor on the tenants' groups creates and deletes that identity and its federated credential in the drill
    /// tenant's group. The revoke deletes no role assignment: the backup account's lock would refuse it.
    /// </summary>
    [Fact]
    public void The_drill_jobs_identity_may_grant_and_revoke_the_read_role_on_the_tenants_container()
    {
        const string account = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-backup/providers/Microsoft.Storage/storageAccounts/stbackup";

        CiIdentities.Production.Environment.ShouldBe(Drill.Text("environment"));
        CiIdentities.Production.Operations.ShouldContain("up");
        CiIdentities.Production.AzureRoles.ShouldContain(r => r.Role == CiIdentities.DelegatedAssignmentRole && r.Condition == CiIdentities.TenantAssignmentCondition);
        CiIdentities.MayDeployAssign("Storage Blob Data Reader", CiIdentities.TenantAssignablePrincipalType, OffSiteBackup.ContainerId(account, "aarhus"), account).ShouldBeTrue();
        CiIdentities.Production.AzureRoles.ShouldContain(r => r.Role == "Contributor" && r.Scope == RoleScope.TenantResourceGroups && r.Condition == null);
    }

    /// <summary>drill-access.sh run by bash with a fake pulumi and sleep: what each half does to the drill stack.</summary>
    [Fact]
    public void The_grant_names_the_tenant_in_the_working_copy_only_and_the_revoke_ups_the_committed_stack_file()
    {
        var dir = Directory.CreateTempSubdirectory("drill-access-");
        try
        {
            var stackFile = Path.Combine(dir.FullName, "stacks", "Pulumi.restore-drill.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(stackFile)!);
            File.WriteAllText(stackFile, "config:\n  os2borgerpc:tenant:\n    backup: {}\n");
            Git(dir.FullName, "init", "-q");
            Git(dir.FullName, "add", ".");
            Git(dir.FullName, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "drill stack");
            var bin = Directory.CreateDirectory(Path.Combine(dir.FullName, "bin")).FullName;
            // pulumi records its arguments and, for config set, writes the value into the stack file as pulumi would.
            Fake(bin, "pulumi", """
                echo "pulumi $*" >> "$CALLS"
                if [ "$1 $2" = "config set" ]; then echo "    # drillFrom: $4" >> stacks/Pulumi.restore-drill.yaml; fi
                if [ "$1" = up ]; then echo "up with: $(grep -c drillFrom stacks/Pulumi.restore-drill.yaml)" >> "$CALLS"; fi
                """);
            Fake(bin, "sleep", "echo \"sleep $*\" >> \"$CALLS\"");

            RunScript(dir.FullName, bin, "grant", "restore-drill", "aarhus");
            RunScript(dir.FullName, bin, "revoke", "restore-drill");

            File.ReadAllLines(Path.Combine(dir.FullName, "calls")).ShouldBe([
                "pulumi login --non-interactive azblob://state",
                "pulumi config set --path os2borgerpc:tenant.backup.drillFrom aarhus --stack restore-drill --non-interactive",
                "pulumi up --yes --non-interactive --diff --stack restore-drill",
                "up with: 1",
                // Azure RBAC: up to 10 minutes before a new role reaches the data plane (RbacPropagation).
                "sleep 600",
                "pulumi login --non-interactive azblob://state",
                "pulumi up --yes --non-interactive --diff --stack restore-drill",
                "up with: 0",
            ]);
            File.ReadAllText(stackFile).ShouldNotContain("drillFrom");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void Fake(string bin, string name, string body)
    {
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void RunScript(string dir, string bin, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Root, ".github/scripts/drill-access.sh"), .. arguments])
        {
            WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        start.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["CALLS"] = Path.Combine(dir, "calls");
        start.Environment["PULUMI_BACKEND_URL"] = "azblob://state";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, stderr);
    }

    private static void Git(string dir, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = dir, RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, stderr);
    }
}
