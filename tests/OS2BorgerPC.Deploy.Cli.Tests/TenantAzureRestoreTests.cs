using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>
/// <c>tenant restore --at</c> of an azure tenant against a fake az and a fake cluster: the flexible server is restored
/// into a temporary server while the admin site runs, the restore Job dumps it and loads the dump as --backup does,
/// and the temporary server is deleted afterwards, also when a step fails or the operator interrupts.
/// </summary>
public sealed class TenantAzureRestoreTests : IDisposable
{
    private const string Server = "psql-os2bpc-aarhus-";
    private const string Temporary = "-p250305020000";
    private const string RestoreJob = "restore-20250305t020000z";
    private const string FetchJob = "restore-fetch-20250305t020000z";

    // 'kubectl get cronjob/backup -o json' of an azure tenant (the parts the restore Job takes).
    private const string CronJob = """
        {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"backup","namespace":"os2borgerpc-aarhus"},
         "spec":{"schedule":"0 2 * * *","jobTemplate":{"metadata":{"labels":{"app.kubernetes.io/name":"backup"}},"spec":{"backoffLimit":1,
           "template":{"metadata":{"labels":{"app.kubernetes.io/name":"backup","azure.workload.identity/use":"true"}},
             "spec":{"serviceAccountName":"os2borgerpc-backup",
               "initContainers":[{"name":"dump","image":"docker.io/library/postgres:17.6-bookworm",
                 "env":[{"name":"PGHOST","value":"psql-os2bpc-aarhus-0a1b2c.postgres.database.azure.com"},
                        {"name":"PGPASSWORD","valueFrom":{"secretKeyRef":{"name":"admin-site","key":"database-password"}}},
                        {"name":"PGSSLMODE","value":"verify-full"},{"name":"PGSSLROOTCERT","value":"/etc/os2borgerpc/database-ca/ca.crt"}]}],
               "containers":[{"name":"upload","image":"docker.io/restic/restic:0.17.3","command":["/bin/sh","/scripts/backup.sh"],
                 "env":[{"name":"RESTIC_REPOSITORY","value":"azure:tenant-aarhus:/restic"},
                        {"name":"RESTIC_PASSWORD","valueFrom":{"secretKeyRef":{"name":"backup-repository","key":"password"}}}]}],
               "volumes":[{"name":"media","csi":{"driver":"file.csi.azure.com","readOnly":true}},{"name":"tmp","emptyDir":{}},
                          {"name":"database-ca","configMap":{"name":"azure-postgres-roots","items":[{"key":"ca.crt","path":"ca.crt"}]}}]}}}}}}
        """;

    private const string Snapshots = """
        [{"time":"2025-03-04T01:00:00Z","tags":["nightly","name:nightly-20250304T010000Z"],"id":"a"}]
        """;

    private readonly TempRepository _repository = new();
    private readonly FakeCluster _cluster = new();
    private readonly FakeAz _az;

    public TenantAzureRestoreTests()
    {
        _repository.Run("tenant", "new", "751", "--hosting", "azure", "--egress", "20.50.1.10").ShouldSucceed();
        _az = new FakeAz(_cluster);
        _cluster.Answers["get deployment/admin-site"] = new ProcessResult(0, "2", "");
        _cluster.Answers["get cronjob/backup"] = new ProcessResult(0, CronJob, "");
        _cluster.Answers["logs job/backups-list-20250305-020000"] = new ProcessResult(0, Snapshots, "");
        _cluster.JobConditions["backups-list-"] = new(["Complete"]);
        _cluster.JobConditions["restore-"] = new(["Complete"]);
    }

    public void Dispose() => _repository.Dispose();

    /// <summary>The window is Azure's earliest restore time to 5 minutes ago (the server archives WAL up to that far behind).</summary>
    [Fact]
    public void A_time_outside_the_servers_window_is_refused_and_nothing_is_touched()
    {
        Restore("--at", "2025-03-05T01:58:00Z", "--no-media", "--yes")
            .ShouldFail("--at 2025-03-05 01:58:00 UTC is outside what can be recovered: 2025-02-19 03:12:44 UTC to 2025-03-05 01:55:00 UTC");
        Restore("--at", "2025-02-01T00:00:00Z", "--no-media", "--yes").ShouldFail("is outside what can be recovered");

        _az.Verbs.ShouldBe(["show", "show"]);
        _cluster.Calls.ShouldNotContain(c => c.Arguments.Contains("scale") || c.Arguments.Contains("apply") && c.StandardInputText!.Contains(RestoreJob, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_az_the_window_is_unknown_and_the_restore_is_refused_with_the_reason()
    {
        _az.Answers["show"] = new ProcessResult(1, "", "ERROR: Please run 'az login' to setup account.");

        Restore("--at", "2025-03-04T12:00:00Z", "--no-media", "--yes")
            .ShouldFail("az cannot read the flexible server psql-os2bpc-aarhus-");
        _az.Verbs.ShouldBe(["show"]);
        _cluster.Calls.ShouldNotContain(c => c.Arguments.Contains("scale"));
    }

    [Fact]
    public void A_restore_point_of_an_azure_tenant_needs_no_az()
    {
        Restore("--backup", "nightly-20250304T010000Z", "--no-media").ShouldFail("Nothing done: run again with --yes");
        _az.Verbs.ShouldBeEmpty();
    }

    [Fact]
    public void The_server_is_restored_while_the_site_runs_the_job_dumps_it_and_loads_beside_the_data_then_the_server_is_deleted()
    {
        var run = Restore("--at", "2025-03-04T12:00:00Z", "--no-media", "--yes");

        run.ShouldSucceed();
        run.Output.ShouldContain("1. Restore the flexible server psql-os2bpc-aarhus-");
        _az.Verbs.ShouldBe(["show", "restore", "show", "delete"]);
        var restore = _az.Calls.Single(c => c[2] == "restore");
        restore.ShouldBe(["postgres", "flexible-server", "restore", "--resource-group", "rg-os2borgerpc-aarhus", "--name", _az.Temporary!,
            "--source-server", _az.Source!, "--restore-time", "2025-03-04T12:00:00+00:00", "--zone", "1", "--output", "json"]);
        _az.Temporary!.ShouldStartWith(Server);
        _az.Temporary.ShouldEndWith(Temporary);
        _az.Calls.Single(c => c[2] == "delete").ShouldBe(["postgres", "flexible-server", "delete", "--resource-group", "rg-os2borgerpc-aarhus", "--name", _az.Temporary, "--yes"]);
        // Restored and dumped (the fetch Job) before the admin site stops for the load; deleted after it runs again.
        _az.Sequence.ShouldBe(["az show", "az restore", "az show", "apply", "scale --replicas=0", "apply", "scale --replicas=2", "az delete"]);
        var fetch = JsonNode.Parse(_cluster.Applied.Single(m => m.Contains($"\"name\":\"{FetchJob}\"", StringComparison.Ordinal)))!;
        var dump = fetch["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single(c => (string?)c!["name"] == "dump")!;
        dump["env"]!.AsArray().ShouldContain(e => (string?)e!["name"] == "PGHOST" && (string?)e["value"] == $"{_az.Temporary}.postgres.database.azure.com");
        dump["env"]!.AsArray().ShouldContain(e => (string?)e!["name"] == "PGSSLROOTCERT" && (string?)e["value"] == "/etc/os2borgerpc/database-ca/ca.crt");
        run.Output.ShouldContain($"Deleting the server {_az.Temporary}.");
        // No secret on any command line: az gets names and a time, kubectl manifests on standard input.
        _az.Calls.ShouldAllBe(c => c.All(a => !a.Contains("password", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void A_failed_restore_of_the_server_deletes_what_azure_may_have_made_and_never_stops_the_site()
    {
        _az.Answers["restore"] = new ProcessResult(1, "", "(ServerNameAlreadyExists) Specified server name is already used.");

        Restore("--at", "2025-03-04T12:00:00Z", "--no-media", "--yes")
            .ShouldFail($"The restore into {_az.Temporary} did not complete: (ServerNameAlreadyExists) Specified server name is already used.");

        _az.Sequence.ShouldBe(["az show", "az restore", "az delete"]);
    }

    [Fact]
    public void A_failed_restore_job_starts_the_site_on_its_own_data_and_deletes_the_server()
    {
        _cluster.JobConditions["restore-fetch-"] = new(["Complete"]);
        _cluster.JobConditions["restore-"] = new(["Failed"]);

        Restore("--at", "2025-03-04T12:00:00Z", "--no-media", "--yes").ShouldFail("The current data was not changed");

        _az.Sequence.ShouldBe(["az show", "az restore", "az show", "apply", "scale --replicas=0", "apply", "scale --replicas=2", "az delete"]);
    }

    [Fact]
    public void Interrupted_while_the_server_is_restored_the_site_is_never_stopped_and_the_server_is_deleted()
    {
        using var interrupt = new CancellationTokenSource();
        var runner = new InterruptAfter(_az, call => call.Program == "az" && call.Arguments[2] == "restore", interrupt);

        CliRun.In(_repository.Root, Shell(runner) with { Interrupted = interrupt.Token },
            ["tenant", "restore", "aarhus", "--at", "2025-03-04T12:00:00Z", "--no-media", "--yes"])
            .ShouldFail("Interrupted before the admin site was stopped.");

        _az.Sequence.ShouldBe(["az show", "az restore", "az delete"]);
    }

    /// <summary>A restore Job that goes on may still be dumping from the server: it stays, named with the command that deletes it.</summary>
    [Fact]
    public void Interrupted_while_the_job_runs_the_server_stays_for_it_with_the_command_that_deletes_it()
    {
        _cluster.JobConditions["restore-fetch-"] = new(["Complete"]);
        _cluster.JobConditions["restore-"] = new([""]);
        _cluster.Answers["get jobs app.kubernetes.io/component=restore"] = new ProcessResult(0, RestoreJob, "");
        using var interrupt = new CancellationTokenSource();
        var runner = new InterruptAfter(_az, call => call.StandardInputText?.Contains($"\"name\":\"{RestoreJob}\"", StringComparison.Ordinal) == true, interrupt);

        var run = CliRun.In(_repository.Root, Shell(runner) with { Interrupted = interrupt.Token },
            ["tenant", "restore", "aarhus", "--at", "2025-03-04T12:00:00Z", "--no-media", "--yes"]);

        run.ShouldFail($"Interrupted: the restore job {RestoreJob} goes on in the cluster");
        run.Error.ShouldContain($"Left for it: the server {_az.Temporary}, billed until deleted (then: az postgres flexible-server delete --resource-group rg-os2borgerpc-aarhus --name {_az.Temporary} --yes).");
        _az.Verbs.ShouldNotContain("delete");
    }

    [Fact]
    public void A_server_az_cannot_delete_is_named_with_the_command_and_that_it_is_billed()
    {
        _az.Answers["delete"] = new ProcessResult(1, "", "(AuthorizationFailed) The client does not have authorization to perform action 'Microsoft.DBforPostgreSQL/flexibleServers/delete'.");

        var run = Restore("--at", "2025-03-04T12:00:00Z", "--no-media", "--yes");

        run.ExitCode.ShouldBe(0, run.Error);
        run.Error.ShouldContain($"The server {_az.Temporary} was not deleted: (AuthorizationFailed)");
        run.Error.ShouldContain($"it is billed until deleted: az postgres flexible-server delete --resource-group rg-os2borgerpc-aarhus --name {_az.Temporary} --yes");
    }

    private CliRun Restore(params string[] options) => CliRun.In(_repository.Root, Shell(_az), ["tenant", "restore", "aarhus", .. options]);

    private static Shell Shell(IProcessRunner runner) => new(runner, new FixedTime(new DateTimeOffset(2025, 3, 5, 2, 0, 0, TimeSpan.Zero)), TimeSpan.Zero);
}

/// <summary>
/// az as Azure answers the flexible-server commands (show, restore, delete), recording each; everything else goes to the
/// fake cluster. <see cref="Sequence"/> interleaves az's verbs with the cluster's scales and applies, in order.
/// </summary>
internal sealed class FakeAz(FakeCluster cluster) : IProcessRunner
{
    /// <summary>Answers that replace the usual one, by verb (show, restore, delete).</summary>
    public Dictionary<string, ProcessResult> Answers { get; } = [];

    public List<IReadOnlyList<string>> Calls { get; } = [];

    public List<string> Sequence { get; } = [];

    public List<string> Verbs => [.. Calls.Select(c => c[2])];

    /// <summary>The tenant's server, as the first show named it.</summary>
    public string? Source { get; private set; }

    /// <summary>The temporary server, as the restore named it.</summary>
    public string? Temporary { get; private set; }

    public ProcessResult Run(ProcessCall call)
    {
        if (call.Program != "az")
        {
            var result = cluster.Run(call);
            if (call.Arguments.Contains("scale"))
            {
                Sequence.Add($"scale {call.Arguments.Single(a => a.StartsWith("--replicas=", StringComparison.Ordinal))}");
            }
            else if (call.Arguments.Contains("apply") && call.StandardInputText!.Contains("\"kind\":\"Job\"", StringComparison.Ordinal)
                     && !call.StandardInputText.Contains("backups-list-", StringComparison.Ordinal))
            {
                Sequence.Add("apply");
            }
            return result;
        }
        var arguments = call.Arguments;
        Calls.Add(arguments);
        var verb = arguments[2];
        Sequence.Add($"az {verb}");
        var name = arguments[arguments.ToList().IndexOf("--name") + 1];
        Source ??= verb == "show" ? name : null;
        Temporary = verb == "restore" ? name : Temporary;
        if (Answers.TryGetValue(verb, out var answer))
        {
            return answer;
        }
        // The REST API's Server with its properties flattened, as az prints it (no password in what Azure answers).
        return verb switch
        {
            "show" => new ProcessResult(0, $$"""
                {"administratorLogin":"os2bpcadmin","administratorLoginPassword":null,
                 "backup":{"backupRetentionDays":14,"earliestRestoreDate":"2025-02-19T03:12:44.123456+00:00","geoRedundantBackup":"Disabled"},
                 "fullyQualifiedDomainName":"{{name}}.postgres.database.azure.com","name":"{{name}}","state":"Ready"}
                """, ""),
            "restore" => new ProcessResult(0, $$"""{"name":"{{name}}","state":"Ready"}""", ""),
            _ => new ProcessResult(0, "", ""),
        };
    }
}
