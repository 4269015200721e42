using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>
/// The point-in-time path of an azure tenant: the flexible server restores into a new server (never over its own), the
/// restore Job dumps that server and loads the dump beside the tenant's data, and the new server is deleted.
/// </summary>
public sealed partial class AzurePointInTimeTests(TempRepository repository) : IClassFixture<TempRepository>
{
    private static readonly DateTimeOffset Now = new(2025, 3, 5, 2, 0, 0, TimeSpan.Zero);

    // What 'az postgres flexible-server show --output json' prints (the fields read; the REST API's Server with its
    // properties flattened, backup.earliestRestoreDate RFC 3339: hashicorp/pandora PostgreSql v2022_12_01 Model-Backup.cs).
    private const string Show = """
        {"administratorLogin":"os2bpcadmin","administratorLoginPassword":null,
         "backup":{"backupRetentionDays":14,"earliestRestoreDate":"2025-02-19T03:12:44.123456+00:00","geoRedundantBackup":"Disabled"},
         "fullyQualifiedDomainName":"psql-os2bpc-test-0a1b2c-p250305020000.postgres.database.azure.com",
         "location":"West Europe","name":"psql-os2bpc-test-0a1b2c-p250305020000",
         "network":{"delegatedSubnetResourceId":null,"privateDnsZoneArmResourceId":null,"publicNetworkAccess":"Enabled"},
         "state":"Ready","version":"16"}
        """;

    [Fact]
    public void The_window_runs_from_azures_earliest_restore_time_to_now_less_the_servers_archive_lag()
    {
        var tenant = Tenant();
        var earliest = AzurePointInTime.EarliestRestoreDate(Show);

        earliest.ShouldBe(new DateTimeOffset(2025, 2, 19, 3, 12, 44, 123, TimeSpan.Zero).AddTicks(4560));
        // Azure archives the WAL up to 5 minutes behind (the kit's azure RPO): a later time may not be restorable yet.
        AzurePointInTime.Window(earliest, Now).ShouldBe((earliest, Now.AddMinutes(-5)));
        AzurePointInTime.Window(null, Now).ShouldBe((null, null));
        AzurePointInTime.Window(Now.AddMinutes(-3), Now).ShouldBe((null, null));
        AzurePointInTime.EarliestRestoreDate("""{"backup":{"earliestRestoreDate":null}}""").ShouldBeNull();
        AzurePointInTime.EarliestRestoreDate("not json").ShouldBeNull();
    }

    [Fact]
    public void A_time_outside_the_window_or_a_server_without_one_is_refused_with_the_window_and_why()
    {
        var tenant = Tenant();
        var (from, until) = AzurePointInTime.Window(AzurePointInTime.EarliestRestoreDate(Show), Now);
        var facts = new RestoreFacts([], from, until, ImportRunning: false);

        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddMinutes(-2), null, true, WithMedia: false), facts).Refusals.ShouldBe(
            [$"--at 2025-03-05 01:58:00 UTC is outside what can be recovered: 2025-02-19 03:12:44 UTC to 2025-03-05 01:55:00 UTC (the flexible server's backups of {tenant.Azure!.DatabaseBackupRetentionDays} days, up to 5 minutes ago: Azure archives the WAL up to that far behind)."]);
        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-20), null, true, WithMedia: false), facts).Refused.ShouldBeTrue();
        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-1), null, true, WithMedia: false), facts with { RecoverableFrom = null }).Refusals.ShouldBe(
            [$"test's flexible server {tenant.Names.PostgresServer} names no earliest restore time (az postgres flexible-server show: backup.earliestRestoreDate), so there is no point in time to restore to yet."]);
        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-1), null, true, Generation: 1, WithMedia: false), facts).Refusals.ShouldBe(
            ["--generation chooses a CloudNativePG archive; an azure tenant's point in time comes from its flexible server's own backups: leave it out."]);
    }

    [Fact]
    public void A_time_inside_the_window_restores_a_new_server_while_the_site_runs_loads_beside_the_data_and_deletes_the_server()
    {
        var tenant = Tenant();
        var facts = new RestoreFacts([], Now.AddDays(-14), Now.AddMinutes(-5), ImportRunning: false);

        var plan = RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-1), null, true, WithMedia: false), facts);

        plan.Refused.ShouldBeFalse();
        plan.Steps[0].ShouldStartWith($"Restore the flexible server {tenant.Names.PostgresServer} as of 2025-03-04 02:00:00 UTC into a new server {tenant.Names.PostgresServer}-p<yyMMddHHmmss> in {tenant.Names.ResourceGroup}");
        plan.Steps[0].ShouldContain("while the admin site runs");
        // The dump is the fetch's: the admin site still serves; it stops for the load only.
        plan.Steps[1].ShouldStartWith("Dump the recovered database onto the /media volume beside its data (a folder .restore-<time>). The admin site still serves meanwhile");
        plan.Steps[2].ShouldBe("Stop the admin site of test, only now that everything is fetched.");
        plan.Steps.ShouldContain(s => s.StartsWith("Load the database in one transaction: the current tables stay", StringComparison.Ordinal));
        plan.Steps[^1].ShouldBe($"Delete the new server (az postgres flexible-server delete --resource-group {tenant.Names.ResourceGroup} --name <it> --yes), also when a step failed; the command names it if it cannot.");
        plan.Steps.ShouldNotContain(s => s.Contains(CloudNativePg.RecoveryClusterName, StringComparison.Ordinal));
    }

    [Fact]
    public void The_temporary_server_is_named_per_restore_within_azures_rule_even_for_the_longest_slug()
    {
        var longest = Tenant() with { Names = TenantNames.For(new string('a', Slug.MaxLength - 2) + "-b", "fleet") };

        var name = AzurePointInTime.ServerName(longest, Now);

        // A flexible server's name: 3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen.
        FlexibleServerName().IsMatch(name).ShouldBeTrue(name);
        name.Length.ShouldBeLessThanOrEqualTo(63);
        name.ShouldBe($"{longest.Names.PostgresServer}-p250305020000");
        AzurePointInTime.ServerName(longest, Now.AddSeconds(1)).ShouldNotBe(name);
    }

    /// <summary>The commands as the operator's az runs them: the restore in the tenant's group from its server, the source's network kept (no --vnet/--subnet).</summary>
    [Fact]
    public void The_az_commands_restore_into_the_tenants_group_with_the_sources_network_and_delete_without_a_prompt()
    {
        var tenant = Tenant();
        var temporary = AzurePointInTime.ServerName(tenant, Now);

        AzurePointInTime.Restore(tenant, temporary, new DateTimeOffset(2025, 3, 4, 3, 30, 0, TimeSpan.FromHours(1))).ShouldBe(
        [
            "postgres", "flexible-server", "restore", "--resource-group", tenant.Names.ResourceGroup, "--name", temporary,
            "--source-server", tenant.Names.PostgresServer, "--restore-time", "2025-03-04T02:30:00+00:00", "--zone", "1", "--output", "json",
        ]);
        AzurePointInTime.Show(tenant, temporary).ShouldBe(["postgres", "flexible-server", "show", "--resource-group", tenant.Names.ResourceGroup, "--name", temporary, "--output", "json"]);
        AzurePointInTime.CommandLine(AzurePointInTime.Delete(tenant, temporary))
            .ShouldBe($"az postgres flexible-server delete --resource-group {tenant.Names.ResourceGroup} --name {temporary} --yes");
        AzurePointInTime.HostOf(Show).ShouldBe("psql-os2bpc-test-0a1b2c-p250305020000.postgres.database.azure.com");
        AzurePointInTime.HostOf("""{"fullyQualifiedDomainName":""}""").ShouldBeNull();
    }

    /// <summary>
    /// The dump from the new server is the backup's own dump step pointed at it: the app's login from its Secret (never a
    /// value), verify-full against the tenant's Azure roots, which the new server's certificate chains to as the tenant's does.
    /// </summary>
    [Fact]
    public void The_restore_job_dumps_the_new_server_as_the_app_verifying_it_against_azures_roots()
    {
        const string host = "psql-os2bpc-test-0a1b2c-p250305020000.postgres.database.azure.com";
        var run = new RestoreRun("20250305t020000z", Point: null, Source: null, RecoveredHost: host, WithMedia: false, RecoveredSharesTenantCa: true);

        // The dump is the fetch Job's (the admin site still serves), the load the load Job's.
        var fetch = JsonNode.Parse(RestoreJob.Job(CronJob, run, RestorePhase.Fetch))!;
        var load = JsonNode.Parse(RestoreJob.Job(CronJob, run, RestorePhase.Load))!;

        var pod = fetch["spec"]!["template"]!["spec"]!;
        var dump = pod["containers"]!.AsArray().Single()!;
        ((string?)dump["name"]).ShouldBe(RestoreJob.DumpStep);
        var env = dump["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!);
        ((string?)env["PGHOST"]["value"]).ShouldBe(host);
        ((string?)env["PGSSLMODE"]["value"]).ShouldBe("verify-full");
        ((string?)env["PGSSLROOTCERT"]["value"]).ShouldBe("/etc/os2borgerpc/database-ca/ca.crt");
        env["PGPASSWORD"]["value"].ShouldBeNull();
        ((string?)env["PGPASSWORD"]["valueFrom"]!["secretKeyRef"]!["name"]).ShouldBe("admin-site");
        dump["volumeMounts"]!.AsArray().ShouldContain(m => (string?)m!["name"] == "database-ca" && (string?)m["mountPath"] == "/etc/os2borgerpc/database-ca");
        pod["volumes"]!.AsArray().Select(v => (string?)v!["name"]).ShouldContain("database-ca");
        // The load goes to the tenant's own server, as --backup's does.
        var database = load["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        ((string?)database["name"]).ShouldBe(RestoreJob.DatabaseStep);
        database["env"]!.AsArray().ShouldContain(e => (string?)e!["name"] == "PGHOST" && (string?)e["value"] == "psql-os2bpc-test-0a1b2c.postgres.database.azure.com");
    }

    // 'kubectl get cronjob/backup -o json' of an azure tenant (the parts the restore Job takes).
    private const string CronJob = """
        {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"backup","namespace":"os2borgerpc-test"},
         "spec":{"schedule":"0 2 * * *","jobTemplate":{"metadata":{"labels":{"app.kubernetes.io/name":"backup"}},"spec":{"backoffLimit":1,
           "template":{"metadata":{"labels":{"app.kubernetes.io/name":"backup"}},
             "spec":{"serviceAccountName":"os2borgerpc-backup",
               "initContainers":[{"name":"dump","image":"docker.io/library/postgres:17.6-bookworm",
                 "env":[{"name":"PGHOST","value":"psql-os2bpc-test-0a1b2c.postgres.database.azure.com"},{"name":"PGUSER","value":"os2borgerpc"},
                        {"name":"PGPASSWORD","valueFrom":{"secretKeyRef":{"name":"admin-site","key":"database-password"}}},
                        {"name":"PGSSLMODE","value":"verify-full"},{"name":"PGSSLROOTCERT","value":"/etc/os2borgerpc/database-ca/ca.crt"},
                        {"name":"SCRATCH_LIMIT_BYTES","value":"1073741824"}]}],
               "containers":[{"name":"upload","image":"docker.io/restic/restic:0.17.3","command":["/bin/sh","/scripts/backup.sh"],
                 "env":[{"name":"RESTIC_REPOSITORY","value":"azure:tenant-test:/restic"}]}],
               "volumes":[{"name":"media","csi":{"driver":"file.csi.azure.com","readOnly":true}},{"name":"tmp","emptyDir":{}},
                          {"name":"database-ca","configMap":{"name":"azure-postgres-roots","items":[{"key":"ca.crt","path":"ca.crt"}]}}]}}}}}}
        """;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex FlexibleServerName();

    private Tenant Tenant() => repository.Open().Load(StackFile.Azure()).ShouldBeValid();
}
