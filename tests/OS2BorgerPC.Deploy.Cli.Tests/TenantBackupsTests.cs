using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>
/// <c>tenant backups</c> and <c>tenant restore</c> against a fake cluster: both read the repository through a one-off
/// Job made from the backup CronJob; restore prints its plan and refuses what it must.
/// </summary>
public sealed class TenantBackupsTests : IDisposable
{
    private const string Job = "backups-list-20250305-020000";

    // What 'kubectl get cronjob/backup -o json' answers (the parts that matter).
    private const string CronJob = """
        {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"backup","namespace":"os2borgerpc-aarhus"},
         "spec":{"schedule":"0 2 * * *","jobTemplate":{"metadata":{"labels":{"app.kubernetes.io/name":"backup"}},"spec":{"backoffLimit":1,"activeDeadlineSeconds":10800,
           "template":{"metadata":{"labels":{"app.kubernetes.io/name":"backup","azure.workload.identity/use":"true"}},
             "spec":{"serviceAccountName":"os2borgerpc-backup","activeDeadlineSeconds":10800,
               "initContainers":[{"name":"dump","image":"docker.io/library/postgres:17.6-bookworm",
                 "env":[{"name":"PGHOST","value":"database-rw"},{"name":"PGPASSWORD","valueFrom":{"secretKeyRef":{"name":"admin-site","key":"database-password"}}},
                        {"name":"PGSSLMODE","value":"verify-full"},{"name":"PGSSLROOTCERT","value":"/etc/os2borgerpc/database-ca/ca.crt"}]}],
               "containers":[{"name":"upload","image":"docker.io/restic/restic:0.17.3","command":["/bin/sh","/scripts/backup.sh"],
                 "env":[{"name":"RESTIC_REPOSITORY","value":"azure:tenant-aarhus:/restic"},
                        {"name":"RESTIC_PASSWORD","valueFrom":{"secretKeyRef":{"name":"backup-repository","key":"password"}}}]}],
               "volumes":[{"name":"media","persistentVolumeClaim":{"claimName":"media"}},{"name":"tmp","emptyDir":{}},
                          {"name":"database-ca","secret":{"secretName":"database-ca","items":[{"key":"ca.crt","path":"ca.crt"}]}}]}}}}}}
        """;

    // The same on an S3 target: the repository's keys come from a Secret of the namespace.
    private static readonly string S3CronJob = CronJob
        .Replace("azure:tenant-aarhus:/restic", "s3:https://s3.example.test/backups/tenants/aarhus/restic")
        .Replace("""{"name":"RESTIC_PASSWORD",""", """{"name":"AWS_ACCESS_KEY_ID","valueFrom":{"secretKeyRef":{"name":"backup-s3-credentials","key":"ACCESS_KEY_ID"}}},{"name":"AWS_SECRET_ACCESS_KEY","valueFrom":{"secretKeyRef":{"name":"backup-s3-credentials","key":"ACCESS_SECRET_KEY"}}},{"name":"RESTIC_PASSWORD",""");

    private const string RestoreJob = "restore-20250305t020000z";

    private const string FetchJob = "restore-fetch-20250305t020000z";

    private const string SideFolder = "/media/.restore-20250305t020000z";

    private const string Snapshots = """
        [{"time":"2025-02-20T10:00:00Z","tags":["restore-point","name:pre-upgrade-7.2.0-20250220T100000Z"],"id":"b"},
         {"time":"2025-03-05T01:00:00Z","tags":["nightly","name:nightly-20250305T010000Z"],"id":"a"}]
        """;

    private readonly TempRepository _repository = new();
    private readonly FakeCluster _cluster = new();

    public TenantBackupsTests() => _repository.Run("tenant", "new", "751").ShouldSucceed();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void It_lists_the_restore_points_and_the_age_of_the_newest_through_a_job_with_the_backups_access()
    {
        _cluster.Answers["get cronjob/backup"] = new ProcessResult(0, CronJob, "");
        _cluster.Answers[$"logs job/{Job}"] = new ProcessResult(0, Snapshots, "");
        _cluster.JobConditions["backups-list-"] = new(["", "Complete"]);

        var run = Backups().ShouldSucceed();

        run.Output.ShouldContain("pre-upgrade-7.2.0-20250220T100000Z\trestore point of 7.2.0\t2025-02-20 10:00 UTC");
        run.Output.ShouldContain("aarhus: 2 backups; the newest 1 h 0 min ago.");
        _cluster.Steps.ShouldBe(["get cronjob/backup json", "apply Job", $"get job/{Job}", $"get job/{Job}", $"logs job/{Job}", $"delete job/{Job}"]);
        // The backup's own pod, minus the dump, running one read-only restic command.
        var job = JsonNode.Parse(_cluster.Applied.ShouldHaveSingleItem())!;
        var pod = job["spec"]!["template"]!["spec"]!;
        pod["initContainers"].ShouldBeNull();
        ((string?)pod["serviceAccountName"]).ShouldBe("os2borgerpc-backup");
        pod["containers"]!.AsArray().ShouldHaveSingleItem()!["command"]!.ToJsonString().ShouldBe("""["restic","snapshots","--json","--no-lock"]""");
        ((string?)job["spec"]!["template"]!["metadata"]!["labels"]!["azure.workload.identity/use"]).ShouldBe("true");
        ((int?)pod["activeDeadlineSeconds"]).ShouldBe(600);
    }

    [Fact]
    public void A_target_it_cannot_read_fails_with_restics_words_and_the_job_is_removed()
    {
        _cluster.Answers["get cronjob/backup"] = new ProcessResult(0, CronJob, "");
        _cluster.Answers[$"logs job/{Job}"] = new ProcessResult(0, "Fatal: unable to open config file: 403 AuthorizationPermissionMismatch", "");
        _cluster.JobConditions["backups-list-"] = new(["Failed"]);

        Backups().ShouldFail("the backup target could not be read (backups-list-20250305-020000 failed): Fatal: unable to open config file: 403");
        _cluster.Steps[^1].ShouldBe($"delete job/{Job}");
    }

    [Fact]
    public void A_missed_night_is_overdue_and_fails_the_command()
    {
        _cluster.Answers["get cronjob/backup"] = new ProcessResult(0, CronJob, "");
        _cluster.Answers[$"logs job/{Job}"] = new ProcessResult(0, """[{"time":"2025-03-03T02:00:00Z","tags":["name:nightly-20250303T020000Z"],"id":"a"}]""", "");
        _cluster.JobConditions["backups-list-"] = new(["Complete"]);

        var run = Backups();

        run.ExitCode.ShouldBe(1, run.Error);
        run.Output.ShouldContain("the newest 48 h 0 min ago — OVERDUE", customMessage: run.Error);
    }

    [Fact]
    public void A_restore_prints_its_plan_and_without_yes_does_nothing()
    {
        Listing(Snapshots);

        var run = Restore("--backup", "pre-upgrade-7.2.0-20250220T100000Z", "--media");

        run.ShouldFail("Nothing done: run again with --yes to carry out this plan.");
        run.Output.ShouldContain("1. Fetch restore point pre-upgrade-7.2.0-20250220T100000Z (taken 2025-02-20 10:00:00 UTC) of aarhus onto the /media volume of aarhus, beside its data");
        run.Output.ShouldContain("The admin site still serves meanwhile; a fetch that fails or is interrupted stops here, and what it fetched is removed.");
        run.Output.ShouldContain("2. Stop the admin site of aarhus, only now that everything is fetched.");
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("apply", StringComparison.Ordinal) && !step.StartsWith("apply Job", StringComparison.Ordinal));
    }

    [Fact]
    public void A_restore_refuses_a_point_that_does_not_exist_and_a_running_import()
    {
        Listing(Snapshots);
        _cluster.Answers["get jobs"] = new ProcessResult(0, "import-20250305-010000", "");

        var run = Restore("--backup", "nightly-20200101T000000Z", "--media", "--yes");

        run.ShouldFail("aarhus has no restore point 'nightly-20200101T000000Z'. 'tenant backups aarhus' lists the 2 there are.");
        run.Error.ShouldContain("An import into aarhus is running");
    }

    /// <summary>
    /// The window: CNPG's first recoverability point to the last archived WAL (pg_stat_archiver on the primary), not
    /// now, since recovery replays archived WAL only; without working archiving, to the last base backup.
    /// </summary>
    [Fact]
    public void A_point_in_time_outside_the_clusters_recovery_window_is_refused_and_the_window_ends_at_the_last_archived_wal()
    {
        Listing(Snapshots);
        RecoveryWindow("2025-02-26T02:00:00Z|2025-03-05T00:30:00Z", archiving: "True");
        _cluster.Answers["psql SELECT last_archived_time"] = new ProcessResult(0, "2025-03-05 01:40:12.345+00\n", "");

        Restore("--at", "2025-02-01T00:00:00Z", "--media", "--yes")
            .ShouldFail("--at 2025-02-01 00:00:00 UTC is outside what can be recovered: 2025-02-26 02:00:00 UTC to 2025-03-05 01:40:12 UTC");
        Restore("--at", "2025-03-05T01:50:00Z", "--no-media", "--yes")
            .ShouldFail("--at 2025-03-05 01:50:00 UTC is outside what can be recovered: 2025-02-26 02:00:00 UTC to 2025-03-05 01:40:12 UTC");

        RecoveryWindow("2025-02-26T02:00:00Z|2025-03-05T00:30:00Z", archiving: "False");
        Restore("--at", "2025-03-05T01:00:00Z", "--no-media", "--yes")
            .ShouldFail("to 2025-03-05 00:30:00 UTC");
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("scale", StringComparison.Ordinal));
    }

    /// <summary>
    /// After a lost cluster (generation 2 runs now), --generation 1 is checked against generation 1's own window: its
    /// server's entry in the ObjectStore's status, ending at its last base backup (it archives no more; the running
    /// primary's last archived WAL is generation 2's, never asked).
    /// </summary>
    [Fact]
    public void An_earlier_generation_is_recovered_within_its_own_window_up_to_its_last_base_backup()
    {
        var file = _repository.StackPath("aarhus");
        File.WriteAllText(file, File.ReadAllText(file).Replace("    backup: {}\n", "    backup: {databaseGeneration: 2}\n", StringComparison.Ordinal));
        Listing(Snapshots);
        RecoveryWindow("2025-02-26T02:00:00Z|2025-03-04T02:00:00Z", archiving: "True");

        Restore("--at", "2025-03-04T12:00:00Z", "--generation", "1", "--no-media", "--yes")
            .ShouldFail("--at 2025-03-04 12:00:00 UTC is outside what can be recovered: 2025-02-26 02:00:00 UTC to 2025-03-04 02:00:00 UTC");

        var window = _cluster.Calls.Last(c => c.Arguments.Contains("objectstores.barmancloud.cnpg.io/offsite"));
        window.Arguments.ShouldContain(a => a.Contains("serverRecoveryWindow['database'].firstRecoverabilityPoint", StringComparison.Ordinal));
        _cluster.Calls.ShouldNotContain(c => c.Arguments.Contains("clusters.postgresql.cnpg.io/database") || c.Arguments.Contains("psql"));
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("scale", StringComparison.Ordinal) || step == "apply Cluster");
    }

    [Fact]
    public void A_restore_with_yes_stops_the_admin_site_restores_beside_the_data_and_starts_it_again()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-"] = new(["", "Complete"]);

        var run = Restore("--backup", "pre-upgrade-7.2.0-20250220T100000Z", "--media", "--yes");

        run.ShouldSucceed();
        run.Output.ShouldContain($"database: schema before_{RestoreJob.Replace('-', '_')}");
        run.Output.ShouldContain($"/media:   /media/.before-restore-before_{RestoreJob.Replace('-', '_')}");
        var steps = _cluster.Steps;
        var stop = steps.IndexOf("scale deployment/admin-site");
        stop.ShouldBeGreaterThan(steps.IndexOf("get deployment/admin-site"));
        // The fetch runs to its end while the admin site serves; only the load runs while it is stopped.
        steps.IndexOf("apply Job").ShouldBeLessThan(stop);
        steps.LastIndexOf($"get job/{FetchJob}").ShouldBeLessThan(stop);
        steps.LastIndexOf("apply Job").ShouldBeGreaterThan(stop);
        steps.LastIndexOf("scale deployment/admin-site").ShouldBeGreaterThan(steps.LastIndexOf("apply Job"));
        Replicas().ShouldBe(["0", "2"]);
        steps.ShouldContain($"delete configmap/restore-script-20250305t020000z");
        var fetch = JsonNode.Parse(AppliedJob(FetchJob))!;
        fetch["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
            .ShouldContain(e => (string)e!["name"]! == "RESTORE_POINT" && (string)e["value"]! == "pre-upgrade-7.2.0-20250220T100000Z");
        AppliedJob(RestoreJob).ShouldNotContain("RESTORE_POINT");
    }

    /// <summary>A rollback: the pre-upgrade point, the database only, and the admin site left stopped so the new version cannot migrate it again.</summary>
    [Fact]
    public void A_restore_with_keep_stopped_leaves_the_admin_site_at_zero_and_says_how_to_start_it()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-"] = new(["Complete"]);

        var run = Restore("--backup", "pre-upgrade-7.2.0-20250220T100000Z", "--no-media", "--keep-stopped", "--yes");

        run.ShouldSucceed();
        Replicas().ShouldBe(["0"]);
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("rollout", StringComparison.Ordinal));
        run.Output.ShouldContain("The admin site of aarhus stays stopped (0 replicas). Start it on the version it has with: kubectl --namespace os2borgerpc-aarhus scale deployment/admin-site --replicas=2");
        run.Output.ShouldContain("set adminSite.version in stacks/Pulumi.aarhus.yaml to the version restored and run 'pulumi up --stack aarhus'");
        run.Output.ShouldNotContain("/media:   ");
        AppliedJob(FetchJob).ShouldContain("{\"name\":\"RESTORE_PARTS\",\"value\":\"database\"}");
        AppliedJob(RestoreJob).ShouldNotContain("restore-media.sh");
    }

    /// <summary>kubectl failing to ask is no failed restore: it is asked again, and the outcome is the Job's.</summary>
    [Fact]
    public void Transient_kubectl_errors_while_polling_are_retried_and_do_not_fail_the_restore()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-"] = new([FakeCluster.Unreachable, FakeCluster.Unreachable, "", FakeCluster.Unreachable, "Complete"]);

        var run = Restore("--backup", "nightly-20250305T010000Z", "--media", "--yes");

        run.ShouldSucceed();
        run.Output.ShouldContain("Restored nightly-20250305T010000Z into aarhus.");
        Replicas().ShouldBe(["0", "2"]);
    }

    /// <summary>
    /// When kubectl cannot say how the Job is doing, it may still be loading data: the CLI does not claim the data is
    /// unchanged, leaves the admin site stopped and what the Job uses in place, and says what to do.
    /// </summary>
    [Fact]
    public void A_job_whose_state_cannot_be_read_is_not_called_failed_and_the_admin_site_stays_stopped()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-fetch-"] = new(["Complete"]);
        _cluster.JobConditions["restore-"] = new([FakeCluster.Unreachable]);

        var run = Restore("--backup", "nightly-20250305T010000Z", "--media", "--yes");

        run.ShouldFail($"Could not tell how the restore job {RestoreJob} is doing");
        run.Error.ShouldNotContain("The current data was not changed");
        run.Error.ShouldContain("The admin site of aarhus stays stopped while the restore job may run. Start it afterwards with: kubectl --namespace os2borgerpc-aarhus scale deployment/admin-site --replicas=2");
        run.Error.ShouldContain("Left for it: configmap/restore-script-20250305t020000z");
        Replicas().ShouldBe(["0"]);
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("delete configmap", StringComparison.Ordinal));
        _cluster.Steps.Count(step => step == $"get job/{RestoreJob}").ShouldBe(OS2BorgerPC.Deploy.Cli.Processes.JobWaiting.TransientRetries + 1);
    }

    /// <summary>Ctrl+C while the Job runs: the Job is left to end (it may be moving /media), the admin site stays stopped, and the CLI says what is left and how to finish.</summary>
    [Fact]
    public void An_interrupted_restore_leaves_the_job_to_end_and_says_what_is_left_and_how_to_finish()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-fetch-"] = new(["Complete"]);
        _cluster.JobConditions["restore-"] = new([""]);
        using var interrupt = new CancellationTokenSource();
        // Ctrl+C once the restore Job is created.
        var runner = new InterruptAfter(_cluster, call => call.StandardInputText?.Contains($"\"name\":\"{RestoreJob}\"", StringComparison.Ordinal) == true, interrupt);

        var run = CliRun.In(_repository.Root, new Shell(runner, Shell().Time, TimeSpan.Zero) { Interrupted = interrupt.Token },
            ["tenant", "restore", "aarhus", "--backup", "nightly-20250305T010000Z", "--media", "--yes"]);

        run.ShouldFail($"Interrupted: the restore job {RestoreJob} goes on in the cluster");
        run.Error.ShouldContain($"Follow it: kubectl --namespace os2borgerpc-aarhus get job/{RestoreJob}");
        run.Error.ShouldContain("Start it afterwards with: kubectl --namespace os2borgerpc-aarhus scale deployment/admin-site --replicas=2");
        run.Error.ShouldContain("Left for it: configmap/restore-script-20250305t020000z (then: kubectl --namespace os2borgerpc-aarhus delete configmap/restore-script-20250305t020000z)");
        Replicas().ShouldBe(["0"]);
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("delete configmap", StringComparison.Ordinal) || step.StartsWith($"delete job/{RestoreJob}", StringComparison.Ordinal));
    }

    /// <summary>The database volume's free bytes (df in the CloudNativePG primary) go to the load step, which refuses a load that does not fit beside the data and its WAL.</summary>
    [Fact]
    public void The_load_step_gets_the_database_volumes_free_space_and_a_volume_it_cannot_read_is_refused()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-"] = new(["Complete"]);
        _cluster.DatabaseFreeKiB = 5 * 1024 * 1024;

        Restore("--backup", "nightly-20250305T010000Z", "--media", "--yes").ShouldSucceed();
        var job = AppliedJob(RestoreJob);
        job.ShouldContain($"{{\"name\":\"DATABASE_FREE_BYTES\",\"value\":\"{5L << 30}\"}}");
        job.ShouldContain("{\"name\":\"LOAD_NEED_FACTOR\",\"value\":\"2\"}");
        _cluster.Steps.ShouldContain("df /var/lib/postgresql/data");

        _cluster.Answers["df "] = new ProcessResult(1, "", "error: unable to upgrade connection: container not found (\"postgres\")");
        Restore("--backup", "nightly-20250305T010000Z", "--media", "--yes")
            .ShouldFail("Cannot read the free space of aarhus's database volume, which the load must fit: error: unable to upgrade connection");
        // Refused before the admin site stopped (only the first restore's stop and start), and what was fetched is removed.
        Replicas().ShouldBe(["0", "2"]);
        _cluster.Steps.ShouldContain($"rm {SideFolder}");
    }

    /// <summary>
    /// The steps' space refusals say where to grow a volume (the stack file's size tier), and --no-media fetches, and
    /// so sizes against /media, the dump alone.
    /// </summary>
    [Fact]
    public void The_steps_are_told_where_to_grow_a_volume_and_a_database_only_restore_fetches_the_dump_alone()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-"] = new(["Complete"]);

        Restore("--backup", "nightly-20250305T010000Z", "--no-media", "--yes").ShouldSucceed();

        var hint = "size in stacks/Pulumi.aarhus.yaml, now small (small: database 10 GiB, /media 10 GiB; medium: database 20 GiB, /media 25 GiB; large: database 50 GiB, /media 50 GiB), then 'pulumi up --stack aarhus'";
        var fetch = Env(AppliedJob(FetchJob), "fetch");
        (fetch["RESTORE_PARTS"], fetch["RESTORE_GROW_HINT"]).ShouldBe(("database", hint));
        var load = Env(AppliedJob(RestoreJob), "database");
        (load["RESTORE_GROW_HINT"], load["MEDIA_HEADROOM_BYTES"]).ShouldBe((hint, $"{256L << 20}"));
        AppliedJob(RestoreJob).ShouldNotContain("restore-media.sh");
    }

    [Fact]
    public void A_restore_without_a_media_choice_is_refused_and_changes_nothing()
    {
        Listing(Snapshots);

        Restore("--backup", "nightly-20250305T010000Z", "--yes").ShouldFail("Say what to restore: --media");
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("scale", StringComparison.Ordinal));
    }

    /// <summary>A failed fetch: the admin site was never stopped, and what was fetched is removed.</summary>
    [Fact]
    public void A_failed_fetch_leaves_the_admin_site_serving_and_removes_what_it_fetched()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-"] = new(["Failed"]);
        _cluster.ContainerLogs["fetch"] = new ProcessResult(0, "", "restore: the backup target tenant-aarhus cannot be read.");

        var run = Restore("--backup", "nightly-20250305T010000Z", "--media", "--yes");

        run.ShouldFail("The fetch failed");
        run.Error.ShouldContain("The admin site of aarhus was not stopped, and nothing of its data was changed.");
        run.Error.ShouldContain($"What was fetched ({SideFolder}) is removed.");
        run.Output.ShouldContain("fetch | restore: the backup target tenant-aarhus cannot be read.");
        Replicas().ShouldBeEmpty();
        _cluster.Applied.ShouldNotContain(m => m.Contains($"\"name\":\"{RestoreJob}\"", StringComparison.Ordinal));
        _cluster.Steps.ShouldContain($"rm {SideFolder}");
        _cluster.Steps.ShouldContain("delete configmap/restore-script-20250305t020000z");
    }

    [Fact]
    public void A_failed_load_says_the_data_is_unchanged_and_starts_the_admin_site_on_it_again()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-fetch-"] = new(["Complete"]);
        _cluster.JobConditions["restore-"] = new(["Failed"]);
        _cluster.ContainerLogs["database"] = new ProcessResult(0, "", "restore: the dump's plain SQL takes 9 bytes, written beside /media for the load");

        var run = Restore("--backup", "nightly-20250305T010000Z", "--media", "--yes");

        run.ShouldFail("The current data was not changed");
        run.Error.ShouldContain($"remove it with kubectl --namespace os2borgerpc-aarhus exec deployment/admin-site -c admin-site -- rm -rf {SideFolder}");
        run.Output.ShouldContain("database | restore: the dump's plain SQL takes 9 bytes");
        Replicas().ShouldBe(["0", "2"]);
        _cluster.Steps.ShouldContain("delete configmap/restore-script-20250305t020000z");
    }

    /// <summary>Ctrl+C during the fetch: the admin site was never stopped; the fetch Job is stopped and what it fetched removed.</summary>
    [Fact]
    public void An_interrupted_fetch_stops_the_fetch_job_removes_what_it_fetched_and_never_stops_the_admin_site()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-"] = new([""]);
        using var interrupt = new CancellationTokenSource();
        var runner = new InterruptAfter(_cluster, call => call.StandardInputText?.Contains($"\"name\":\"{FetchJob}\"", StringComparison.Ordinal) == true, interrupt);

        var run = CliRun.In(_repository.Root, new Shell(runner, Shell().Time, TimeSpan.Zero) { Interrupted = interrupt.Token },
            ["tenant", "restore", "aarhus", "--backup", "nightly-20250305T010000Z", "--media", "--yes"]);

        run.ShouldFail($"Interrupted during the fetch: the job {FetchJob} is stopped.");
        run.Error.ShouldContain("The admin site of aarhus was not stopped");
        Replicas().ShouldBeEmpty();
        var steps = _cluster.Steps;
        steps.IndexOf($"rm {SideFolder}").ShouldBeGreaterThan(steps.IndexOf($"delete job/{FetchJob}"));
        _cluster.Calls.Single(c => c.Arguments.Contains($"job/{FetchJob}") && c.Arguments.Contains("delete")).Arguments.ShouldContain("--cascade=foreground");
        steps.ShouldContain("delete configmap/restore-script-20250305t020000z");
        _cluster.Applied.ShouldNotContain(m => m.Contains($"\"name\":\"{RestoreJob}\"", StringComparison.Ordinal));
    }

    /// <summary>kubectl unable to say how the fetch goes, and unable to stop it: the admin site serves on; the CLI names what is left and how to finish.</summary>
    [Fact]
    public void A_fetch_that_cannot_be_read_or_stopped_is_named_with_the_commands_to_finish_and_the_admin_site_serves_on()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-"] = new([FakeCluster.Unreachable]);
        _cluster.Answers[$"delete job/{FetchJob}"] = new ProcessResult(1, "", "Unable to connect to the server");

        var run = Restore("--backup", "nightly-20250305T010000Z", "--media", "--yes");

        run.ShouldFail($"Could not tell how the fetch job {FetchJob} is doing");
        run.Error.ShouldContain($"The fetch job may still run: stop it with kubectl --namespace os2borgerpc-aarhus delete job/{FetchJob} --cascade=foreground, then: kubectl --namespace os2borgerpc-aarhus exec deployment/admin-site -c admin-site -- rm -rf {SideFolder}");
        run.Error.ShouldContain("Left for it: configmap/restore-script-20250305t020000z");
        Replicas().ShouldBeEmpty();
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("delete configmap", StringComparison.Ordinal) || step.StartsWith("rm ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_restore_into_another_tenant_on_an_azure_blob_target_is_refused_unless_its_stack_may_read_the_source_and_changes_nothing()
    {
        Listing(Snapshots);
        _repository.Run("tenant", "new", "461").ShouldSucceed();

        var run = Restore("--backup", "nightly-20250305T010000Z", "--into", "odense", "--media", "--yes");

        run.ShouldFail("set os2borgerpc:tenant.backup.drillFrom: aarhus in stacks/Pulumi.odense.yaml");
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("scale", StringComparison.Ordinal) || step == "apply Secret" || step == "apply ConfigMap");
        _cluster.Applied.ShouldNotContain(manifest => manifest.Contains(RestoreJob, StringComparison.Ordinal));
    }

    /// <summary>The drill tenant reads as its drill ServiceAccount (the drill identity's read role): only the repository password is lent, and nothing is locked there.</summary>
    [Fact]
    public void A_drill_on_an_azure_blob_target_reads_the_source_as_the_drill_identity_and_borrows_only_the_password()
    {
        Listing(Snapshots);
        _cluster.Answers["get secret/"] = new ProcessResult(0, "c2VjcmV0LXZhbHVl", "");
        _cluster.JobConditions["restore-"] = new(["Complete"]);
        _repository.Run("tenant", "new", "461").ShouldSucceed();
        File.WriteAllText(_repository.StackPath("odense"), File.ReadAllText(_repository.StackPath("odense")).Replace("    backup: {}", "    backup:\n      drillFrom: aarhus"));

        var run = Restore("--backup", "nightly-20250305T010000Z", "--into", "odense", "--media", "--yes");

        run.ShouldSucceed();
        var secret = JsonNode.Parse(_cluster.Applied.Single(m => m.Contains("\"kind\":\"Secret\"", StringComparison.Ordinal)))!;
        secret["data"]!.AsObject().Select(d => d.Key).ShouldBe(["password"]);
        var job = AppliedJob(FetchJob);
        job.ShouldContain("\"value\":\"azure:tenant-aarhus:/restic\"");
        job.ShouldContain("{\"name\":\"RESTIC_READ_ONLY\",\"value\":\"yes\"}");
        job.ShouldContain("\"serviceAccountName\":\"os2borgerpc-drill-reader\"");
    }

    [Fact]
    public void A_restore_into_another_tenant_lends_it_the_sources_access_through_standard_input_and_takes_it_back()
    {
        Listing(Snapshots);
        _cluster.Answers["get cronjob/backup"] = new ProcessResult(0, S3CronJob, "");
        _cluster.Answers["get secret/"] = new ProcessResult(0, "c2VjcmV0LXZhbHVl", "");
        _cluster.JobConditions["restore-"] = new(["Complete"]);
        _repository.Run("tenant", "new", "461").ShouldSucceed();

        var run = Restore("--backup", "nightly-20250305T010000Z", "--into", "odense", "--media", "--yes");

        run.ShouldSucceed();
        var secret = JsonNode.Parse(_cluster.Applied.Single(m => m.Contains("\"kind\":\"Secret\"", StringComparison.Ordinal)))!;
        ((string)secret["metadata"]!["namespace"]!).ShouldBe("os2borgerpc-odense");
        secret["data"]!.AsObject().Select(d => d.Key).ShouldBe(["password", "ACCESS_KEY_ID", "ACCESS_SECRET_KEY"], ignoreOrder: true);
        _cluster.Calls.ShouldNotContain(call => call.Arguments.Any(a => a.Contains("c2VjcmV0LXZhbHVl", StringComparison.Ordinal)));
        _cluster.Steps.ShouldContain($"delete secret/restore-source-20250305t020000z");
        AppliedJob(RestoreJob).ShouldContain("RESTORE_INTO_FRESH");
    }

    [Fact]
    public void A_point_in_time_restore_recovers_beside_the_running_cluster_before_stopping_the_admin_site_and_deletes_the_recovery()
    {
        Listing(Snapshots);
        _cluster.Answers["get clusters.postgresql.cnpg.io/database json"] = new ProcessResult(0,
            """{"apiVersion":"postgresql.cnpg.io/v1","kind":"Cluster","metadata":{"name":"database","namespace":"os2borgerpc-aarhus"},"spec":{"instances":2,"plugins":[{"name":"barman-cloud.cloudnative-pg.io","isWALArchiver":true,"parameters":{"barmanObjectName":"offsite","serverName":"database"}}]}}""", "");
        _cluster.Answers["get clusters.postgresql.cnpg.io/database-pitr"] = new ProcessResult(0, "", "");
        RecoveryWindow("2025-02-26T02:00:00Z|2025-03-05T00:30:00Z", archiving: "True");
        _cluster.Answers["psql SELECT last_archived_time"] = new ProcessResult(0, "2025-03-05 01:40:12.345+00\n", "");
        _cluster.JobConditions["restore-"] = new(["Complete"]);
        _cluster.Answers["get pvc"] = new ProcessResult(0, "pvc-0a1b pvc-2c3d", "");

        var run = Restore("--at", "2025-03-04T12:00:00Z", "--media", "--yes");

        run.ShouldSucceed();
        var steps = _cluster.Steps;
        var recovered = steps.IndexOf("wait clusters.postgresql.cnpg.io/database-pitr");
        // Its volumes are deleted with it, not left Released (the platform's classes retain): patched before the cluster goes.
        var patched = _cluster.Calls.Where(c => c.Arguments.Contains("patch")).ToList();
        patched.Select(c => c.Arguments.SkipWhile(a => a != "patch").ElementAt(1)).ShouldBe(["persistentvolume/pvc-0a1b", "persistentvolume/pvc-2c3d"]);
        patched.ShouldAllBe(c => c.Arguments.Contains("""{"spec":{"persistentVolumeReclaimPolicy":"Delete"}}"""));
        _cluster.Calls.Single(c => c.Arguments.Contains("pvc")).Arguments.ShouldContain("cnpg.io/cluster=database-pitr");
        steps.FindLastIndex(s => s.StartsWith("patch persistentvolume/", StringComparison.Ordinal)).ShouldBeInRange(0, steps.IndexOf("delete clusters.postgresql.cnpg.io/database-pitr") - 1);
        recovered.ShouldBeGreaterThan(steps.IndexOf("apply Cluster"));
        steps.IndexOf("scale deployment/admin-site").ShouldBeGreaterThan(recovered);
        steps.IndexOf("delete clusters.postgresql.cnpg.io/database-pitr").ShouldBeGreaterThan(steps.LastIndexOf("scale deployment/admin-site"));
        var recovery = JsonNode.Parse(_cluster.Applied.Single(m => m.Contains("\"kind\":\"Cluster\"", StringComparison.Ordinal)))!;
        ((string)recovery["spec"]!["bootstrap"]!["recovery"]!["recoveryTarget"]!["targetTime"]!).ShouldBe("2025-03-04T12:00:00Z");
        // /media from the newest backup before the time asked.
        AppliedJob(FetchJob).ShouldContain("\"value\":\"pre-upgrade-7.2.0-20250220T100000Z\"");
        // The dump of the recovered cluster is fetched while the admin site serves, before it stops.
        AppliedJob(FetchJob).ShouldContain("\"name\":\"dump\"");
        steps.IndexOf("apply Job").ShouldBeLessThan(steps.IndexOf("scale deployment/admin-site"));
    }

    [Fact]
    public void A_point_in_time_restore_refuses_while_a_recovery_cluster_is_there_and_changes_nothing()
    {
        Listing(Snapshots);
        _cluster.Answers["get clusters.postgresql.cnpg.io/database-pitr"] = new ProcessResult(0, "cluster.postgresql.cnpg.io/database-pitr", "");
        RecoveryWindow("2025-02-26T02:00:00Z|2025-03-05T00:30:00Z", archiving: "True");

        Restore("--at", "2025-03-04T12:00:00Z", "--media", "--yes").ShouldFail("The cluster database-pitr is there already");
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("scale", StringComparison.Ordinal) || step == "apply Cluster" || step.StartsWith("delete clusters", StringComparison.Ordinal));
    }

    /// <summary>
    /// The recovery window as the cluster reports it: the Barman Cloud plugin's first recoverability point and last base
    /// backup of the current generation's server in the ObjectStore's status, and the Cluster's ContinuousArchiving condition.
    /// </summary>
    private void RecoveryWindow(string window, string archiving)
    {
        _cluster.Answers["get objectstores.barmancloud.cnpg.io/offsite"] = new ProcessResult(0, window, "");
        _cluster.Answers["get clusters.postgresql.cnpg.io/database"] = new ProcessResult(0, archiving, "");
    }

    /// <summary>The manifest of the Job named so, as applied.</summary>
    private string AppliedJob(string name) => _cluster.Applied.Single(m =>
        m.Contains("\"kind\":\"Job\"", StringComparison.Ordinal) && m.Contains($"\"name\":\"{name}\",\"namespace\"", StringComparison.Ordinal));

    /// <summary>The literal environment of a Job's container.</summary>
    private static Dictionary<string, string?> Env(string job, string container) =>
        JsonNode.Parse(job)!["spec"]!["template"]!["spec"]!.AsObject()
            .Where(list => list.Key is "initContainers" or "containers").SelectMany(list => list.Value!.AsArray())
            .Single(c => (string)c!["name"]! == container)!["env"]!.AsArray()
            .ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);

    /// <summary>The --replicas of every scale of the admin site, in order.</summary>
    private List<string> Replicas() => [.. _cluster.Calls
        .Where(c => c.Arguments.Contains("scale"))
        .Select(c => c.Arguments.Single(a => a.StartsWith("--replicas=", StringComparison.Ordinal))["--replicas=".Length..])];

    private void Listing(string snapshots)
    {
        _cluster.Answers["get deployment/admin-site"] = new ProcessResult(0, "2", "");
        _cluster.Answers["get cronjob/backup"] = new ProcessResult(0, CronJob, "");
        _cluster.Answers[$"logs job/{Job}"] = new ProcessResult(0, snapshots, "");
        _cluster.JobConditions["backups-list-"] = new(["Complete"]);
    }

    private CliRun Restore(params string[] options) => CliRun.In(_repository.Root, Shell(), ["tenant", "restore", "aarhus", .. options]);

    private CliRun Backups() => CliRun.In(_repository.Root, Shell(), ["tenant", "backups", "aarhus"]);

    private Shell Shell() => new(_cluster, new FixedTime(new DateTimeOffset(2025, 3, 5, 2, 0, 0, TimeSpan.Zero)), TimeSpan.Zero);
}

/// <summary>Runs <paramref name="inner"/>, and cancels <paramref name="interrupt"/> (as Ctrl+C would) after the first call <paramref name="when"/> picks.</summary>
internal sealed class InterruptAfter(IProcessRunner inner, Func<ProcessCall, bool> when, CancellationTokenSource interrupt) : IProcessRunner
{
    public ProcessResult Run(ProcessCall call)
    {
        var result = inner.Run(call);
        if (when(call))
        {
            interrupt.Cancel();
        }
        return result;
    }
}
