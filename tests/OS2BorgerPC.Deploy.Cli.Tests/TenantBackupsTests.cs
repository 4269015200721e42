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

        var run = Restore("--backup", "pre-upgrade-7.2.0-20250220T100000Z");

        run.ShouldFail("Nothing done: run again with --yes to carry out this plan.");
        run.Output.ShouldContain("2. Fetch restore point pre-upgrade-7.2.0-20250220T100000Z (taken 2025-02-20 10:00:00 UTC) of aarhus onto the /media volume of aarhus, beside its data");
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("apply", StringComparison.Ordinal) && !step.StartsWith("apply Job", StringComparison.Ordinal));
    }

    [Fact]
    public void A_restore_refuses_a_point_that_does_not_exist_and_a_running_import()
    {
        Listing(Snapshots);
        _cluster.Answers["get jobs"] = new ProcessResult(0, "import-20250305-010000", "");

        var run = Restore("--backup", "nightly-20200101T000000Z", "--yes");

        run.ShouldFail("aarhus has no restore point 'nightly-20200101T000000Z'. 'tenant backups aarhus' lists the 2 there are.");
        run.Error.ShouldContain("An import into aarhus is running");
    }

    [Fact]
    public void A_point_in_time_outside_the_clusters_recovery_window_is_refused()
    {
        Listing(Snapshots);
        RecoveryWindow("2025-02-26T02:00:00Z|2025-03-05T00:30:00Z", archiving: "True");

        Restore("--at", "2025-02-01T00:00:00Z", "--yes")
            .ShouldFail("--at 2025-02-01 00:00:00 UTC is outside what can be recovered: 2025-02-26 02:00:00 UTC to 2025-03-05 02:00:00 UTC");
    }

    [Fact]
    public void A_restore_with_yes_stops_the_admin_site_restores_beside_the_data_and_starts_it_again()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-"] = new(["", "Complete"]);

        var run = Restore("--backup", "pre-upgrade-7.2.0-20250220T100000Z", "--yes");

        run.ShouldSucceed();
        run.Output.ShouldContain($"database: schema before_{RestoreJob.Replace('-', '_')}");
        run.Output.ShouldContain($"/media:   /media/.before-restore-before_{RestoreJob.Replace('-', '_')}");
        var steps = _cluster.Steps;
        var stop = steps.IndexOf("scale deployment/admin-site");
        stop.ShouldBeGreaterThan(steps.IndexOf("get deployment/admin-site"));
        steps.LastIndexOf("apply Job").ShouldBeGreaterThan(stop);
        steps.LastIndexOf("scale deployment/admin-site").ShouldBeGreaterThan(steps.LastIndexOf("apply Job"));
        Replicas().ShouldBe(["0", "2"]);
        steps.ShouldContain($"delete configmap/restore-script-20250305t020000z");
        var job = JsonNode.Parse(_cluster.Applied.Single(m => m.Contains($"\"name\":\"{RestoreJob}\"", StringComparison.Ordinal)))!;
        job["spec"]!["template"]!["spec"]!["initContainers"]![0]!["env"]!.AsArray()
            .ShouldContain(e => (string)e!["name"]! == "RESTORE_POINT" && (string)e["value"]! == "pre-upgrade-7.2.0-20250220T100000Z");
    }

    [Fact]
    public void A_failed_restore_says_the_data_is_unchanged_and_starts_the_admin_site_on_it_again()
    {
        Listing(Snapshots);
        _cluster.JobConditions["restore-"] = new(["Failed"]);
        _cluster.ContainerLogs["fetch"] = new ProcessResult(0, "", "restore: the backup target tenant-aarhus cannot be read.");

        var run = Restore("--backup", "nightly-20250305T010000Z", "--yes");

        run.ShouldFail("The current data was not changed");
        run.Output.ShouldContain("fetch | restore: the backup target tenant-aarhus cannot be read.");
        Replicas().ShouldBe(["0", "2"]);
        _cluster.Steps.ShouldContain("delete configmap/restore-script-20250305t020000z");
    }

    [Fact]
    public void A_restore_into_another_tenant_on_an_azure_blob_target_is_refused_unless_its_stack_may_read_the_source_and_changes_nothing()
    {
        Listing(Snapshots);
        _repository.Run("tenant", "new", "461").ShouldSucceed();

        var run = Restore("--backup", "nightly-20250305T010000Z", "--into", "odense", "--yes");

        run.ShouldFail("set os2borgerpc:tenant.backup.drillFrom: aarhus in stacks/Pulumi.odense.yaml");
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("scale", StringComparison.Ordinal) || step == "apply Secret" || step == "apply ConfigMap");
        _cluster.Applied.ShouldNotContain(manifest => manifest.Contains(RestoreJob, StringComparison.Ordinal));
    }

    /// <summary>The drill tenant reads with its own identity's read role: only the repository password is lent, and nothing is locked there.</summary>
    [Fact]
    public void A_drill_on_an_azure_blob_target_reads_the_source_with_its_own_identity_and_borrows_only_the_password()
    {
        Listing(Snapshots);
        _cluster.Answers["get secret/"] = new ProcessResult(0, "c2VjcmV0LXZhbHVl", "");
        _cluster.JobConditions["restore-"] = new(["Complete"]);
        _repository.Run("tenant", "new", "461").ShouldSucceed();
        File.WriteAllText(_repository.StackPath("odense"), File.ReadAllText(_repository.StackPath("odense")).Replace("    backup: {}", "    backup:\n      drillFrom: aarhus"));

        var run = Restore("--backup", "nightly-20250305T010000Z", "--into", "odense", "--yes");

        run.ShouldSucceed();
        var secret = JsonNode.Parse(_cluster.Applied.Single(m => m.Contains("\"kind\":\"Secret\"", StringComparison.Ordinal)))!;
        secret["data"]!.AsObject().Select(d => d.Key).ShouldBe(["password"]);
        var job = _cluster.Applied.Single(m => m.Contains($"\"name\":\"{RestoreJob}\"", StringComparison.Ordinal));
        job.ShouldContain("\"value\":\"azure:tenant-aarhus:/restic\"");
        job.ShouldContain("{\"name\":\"RESTIC_READ_ONLY\",\"value\":\"yes\"}");
    }

    [Fact]
    public void A_restore_into_another_tenant_lends_it_the_sources_access_through_standard_input_and_takes_it_back()
    {
        Listing(Snapshots);
        _cluster.Answers["get cronjob/backup"] = new ProcessResult(0, S3CronJob, "");
        _cluster.Answers["get secret/"] = new ProcessResult(0, "c2VjcmV0LXZhbHVl", "");
        _cluster.JobConditions["restore-"] = new(["Complete"]);
        _repository.Run("tenant", "new", "461").ShouldSucceed();

        var run = Restore("--backup", "nightly-20250305T010000Z", "--into", "odense", "--yes");

        run.ShouldSucceed();
        var secret = JsonNode.Parse(_cluster.Applied.Single(m => m.Contains("\"kind\":\"Secret\"", StringComparison.Ordinal)))!;
        ((string)secret["metadata"]!["namespace"]!).ShouldBe("os2borgerpc-odense");
        secret["data"]!.AsObject().Select(d => d.Key).ShouldBe(["password", "ACCESS_KEY_ID", "ACCESS_SECRET_KEY"], ignoreOrder: true);
        _cluster.Calls.ShouldNotContain(call => call.Arguments.Any(a => a.Contains("c2VjcmV0LXZhbHVl", StringComparison.Ordinal)));
        _cluster.Steps.ShouldContain($"delete secret/restore-source-20250305t020000z");
        _cluster.Applied.Single(m => m.Contains($"\"name\":\"{RestoreJob}\"", StringComparison.Ordinal)).ShouldContain("RESTORE_INTO_FRESH");
    }

    [Fact]
    public void A_point_in_time_restore_recovers_beside_the_running_cluster_before_stopping_the_admin_site_and_deletes_the_recovery()
    {
        Listing(Snapshots);
        _cluster.Answers["get clusters.postgresql.cnpg.io/database json"] = new ProcessResult(0,
            """{"apiVersion":"postgresql.cnpg.io/v1","kind":"Cluster","metadata":{"name":"database","namespace":"os2borgerpc-aarhus"},"spec":{"instances":2,"plugins":[{"name":"barman-cloud.cloudnative-pg.io","isWALArchiver":true,"parameters":{"barmanObjectName":"offsite","serverName":"database"}}]}}""", "");
        _cluster.Answers["get clusters.postgresql.cnpg.io/database-pitr"] = new ProcessResult(0, "", "");
        RecoveryWindow("2025-02-26T02:00:00Z|2025-03-05T00:30:00Z", archiving: "True");
        _cluster.JobConditions["restore-"] = new(["Complete"]);

        var run = Restore("--at", "2025-03-04T12:00:00Z", "--yes");

        run.ShouldSucceed();
        var steps = _cluster.Steps;
        var recovered = steps.IndexOf("wait clusters.postgresql.cnpg.io/database-pitr");
        recovered.ShouldBeGreaterThan(steps.IndexOf("apply Cluster"));
        steps.IndexOf("scale deployment/admin-site").ShouldBeGreaterThan(recovered);
        steps.IndexOf("delete clusters.postgresql.cnpg.io/database-pitr").ShouldBeGreaterThan(steps.LastIndexOf("scale deployment/admin-site"));
        var recovery = JsonNode.Parse(_cluster.Applied.Single(m => m.Contains("\"kind\":\"Cluster\"", StringComparison.Ordinal)))!;
        ((string)recovery["spec"]!["bootstrap"]!["recovery"]!["recoveryTarget"]!["targetTime"]!).ShouldBe("2025-03-04T12:00:00Z");
        // /media from the newest backup before the time asked.
        _cluster.Applied.Single(m => m.Contains($"\"name\":\"{RestoreJob}\"", StringComparison.Ordinal)).ShouldContain("\"value\":\"pre-upgrade-7.2.0-20250220T100000Z\"");
    }

    [Fact]
    public void A_point_in_time_restore_refuses_while_a_recovery_cluster_is_there_and_changes_nothing()
    {
        Listing(Snapshots);
        _cluster.Answers["get clusters.postgresql.cnpg.io/database-pitr"] = new ProcessResult(0, "cluster.postgresql.cnpg.io/database-pitr", "");
        RecoveryWindow("2025-02-26T02:00:00Z|2025-03-05T00:30:00Z", archiving: "True");

        Restore("--at", "2025-03-04T12:00:00Z", "--yes").ShouldFail("The cluster database-pitr is there already");
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
