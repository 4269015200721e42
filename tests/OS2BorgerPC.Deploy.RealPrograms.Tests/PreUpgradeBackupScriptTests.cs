using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// The script Pulumi.Command runs before a rollout, under dash, against a fake kubectl that answers as
/// the cluster would: the upgrade goes on only after a completed backup.
/// </summary>
public sealed class PreUpgradeBackupScriptTests
{
    // Answers like kubectl; FAKE_JOB decides how the backup Job ends (complete, failed, or running: neither),
    // FAKE_DEPLOYMENT whether the app exists yet (present, absent) or the cluster cannot be asked (unreachable).
    // 'set env --local' is the real kubectl's (it needs no cluster); what would be created is kept in FAKE_CREATED.
    private const string FakeKubectl = """
        #!/bin/sh
        echo "kubectl $*" >> "$FAKE_LOG"
        case "$*" in
            *"get deployment admin-site --output"*) [ "$FAKE_DEPLOYMENT" = present ] && echo "ghcr.io/os2borgerpc/os2borgerpc-admin-site:7.2.1" ;;
            # kubectl get --ignore-not-found prints nothing and exits 0 for a missing object; it fails when it cannot ask.
            *"get deployment admin-site --ignore-not-found --output name"*)
                case "$FAKE_DEPLOYMENT" in
                    present) echo "deployment.apps/admin-site" ;;
                    unreachable) echo "error: You must be logged in to the server (Unauthorized)" >&2; exit 1 ;;
                esac ;;
            *"delete job"*) echo "job deleted" ;;
            *"create job"*"--dry-run=client"*) printf '%s\n' "$FAKE_JOB_YAML" ;;
            *"set env --local"*) exec /usr/bin/kubectl "$@" ;;
            *"create --filename -"*) cat > "$FAKE_CREATED"; echo "job created" ;;
            *"--for=condition=complete"*) [ "$FAKE_JOB" = complete ] ;;
            *"--for=condition=failed"*) [ "$FAKE_JOB" = failed ] ;;
            *) exit 2 ;;
        esac
        """;

    private static readonly Lazy<Tenant> Tenant = new(() =>
        RepositoryRoot.Tenant("faelles-it"));

    [Fact]
    public void A_completed_backup_lets_the_upgrade_go_on()
    {
        var (run, calls, created) = Run(deployment: "present", job: "complete");

        run.ShouldSucceed().Output.ShouldContain("restore point of 7.2.1 made by pre-upgrade-");
        calls.ShouldContain(c => c.Contains("--namespace os2borgerpc-faelles-it create job pre-upgrade-") && c.Contains("--from=cronjob/backup"));
        // The Job is the CronJob's, its upload container told to make a restore point of the running version.
        created.ShouldContain("value: restore-point");
        created.ShouldContain("- name: BACKUP_VERSION\n          value: 7.2.1");
        created.ShouldNotContain("value: nightly");
        created.ShouldContain("- name: RETENTION_DAYS");
    }

    [Fact]
    public void A_failed_backup_stops_the_upgrade_with_a_clear_message()
    {
        var (run, _, _) = Run(deployment: "present", job: "failed");

        run.ShouldFail().Error.ShouldContain("the upgrade is stopped and the running version stays");
    }

    [Fact]
    public void A_first_installation_has_nothing_to_back_up()
    {
        var (run, calls, _) = Run(deployment: "absent", job: "failed");

        run.ShouldSucceed().Output.ShouldContain("first installation");
        calls.ShouldNotContain(c => c.Contains("create job"));
    }

    [Fact]
    public void A_cluster_it_cannot_ask_stops_the_upgrade_instead_of_taking_it_for_a_first_installation()
    {
        var (run, calls, _) = Run(deployment: "unreachable", job: "complete");

        run.ShouldFail().Error.ShouldContain("could not ask the cluster whether the admin site runs (error: You must be logged in to the server (Unauthorized) ), so no restore point was made: the upgrade is stopped");
        run.Output.ShouldNotContain("first installation");
        calls.ShouldNotContain(c => c.Contains("create job"));
    }

    /// <summary>The real kubectl with no cluster to reach (no kubeconfig: it tries localhost:8080) fails, and that is no first installation.</summary>
    [Fact]
    public void The_real_kubectl_without_a_cluster_stops_the_upgrade()
    {
        var home = Directory.CreateTempSubdirectory("os2bpc-home-");
        try
        {
            var (run, _) = FakeShell.Run(OperationScripts.PreUpgradeBackup(Tenant.Value, "admin-site", "backup", "upload"), new Dictionary<string, string>(),
                new Dictionary<string, string?> { ["HOME"] = home.FullName, ["KUBECONFIG"] = Path.Combine(home.FullName, "none") });

            run.ShouldFail().Error.ShouldContain("could not ask the cluster whether the admin site runs");
            run.Output.ShouldNotContain("first installation");
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    /// <summary>A backup past its deadline is still running: it is deleted, so that a retried up does not start a second one on the same lock.</summary>
    [Fact]
    public void A_backup_that_outlasts_its_deadline_is_deleted_and_stops_the_upgrade()
    {
        var (run, calls, _) = Run(deployment: "present", job: "running", clock: FakeClock);

        run.ShouldFail().Error.ShouldContain($"took longer than {OperationScripts.BackupTimeoutSeconds} s and was stopped, so the upgrade is stopped");
        var job = calls.Single(c => c.Contains(" create job ", StringComparison.Ordinal)).Split(' ').First(w => w.StartsWith("pre-upgrade-", StringComparison.Ordinal));
        calls.ShouldContain(c => c.EndsWith($"delete job {job} --ignore-not-found --wait=false", StringComparison.Ordinal));
    }

    [Fact]
    public void A_kubeconfig_context_with_a_quote_is_passed_as_one_word()
    {
        var tenant = Tenant.Value with { Cluster = Tenant.Value.Cluster with { Context = "it's-prod" } };

        var (run, calls, _) = Run(deployment: "present", job: "complete", tenant);

        run.ShouldSucceed();
        // Every call to the cluster; 'set env --local' only rewrites the manifest on this machine.
        calls.Where(c => !c.StartsWith("kubectl set env --local ", StringComparison.Ordinal))
            .ShouldAllBe(c => c.StartsWith("kubectl --context it's-prod --namespace os2borgerpc-faelles-it ", StringComparison.Ordinal));
        calls.Count(c => c.StartsWith("kubectl set env --local ", StringComparison.Ordinal)).ShouldBe(1);
    }

    // What 'kubectl create job --from=cronjob/backup --dry-run=client' prints: the CronJob's job template.
    private const string JobYaml = """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: pre-upgrade-20250305020000
        spec:
          template:
            spec:
              initContainers:
              - name: dump
                image: docker.io/library/postgres:17.6-bookworm
              containers:
              - env:
                - name: BACKUP_KIND
                  value: nightly
                - name: RETENTION_DAYS
                  value: "30"
                image: docker.io/restic/restic:0.17.3
                name: upload
              restartPolicy: Never
        """;

    // date +%s: the first call (the deadline's start) says 0, every later one a day on; other formats are the real date's.
    private const string FakeClock = """
        #!/bin/sh
        case "$*" in
            *+%s*) if [ -e "$FAKE_DIR/started" ]; then echo 86400; else touch "$FAKE_DIR/started"; echo 0; fi ;;
            *) exec /usr/bin/date "$@" ;;
        esac
        """;

    private static (ProgramRun Run, string[] Calls, string Created) Run(string deployment, string job, Tenant? tenant = null, string? clock = null)
    {
        // Outside the fake shell's folder, which is gone once the script has run.
        var created = Path.Combine(Path.GetTempPath(), $"os2bpc-created-{Guid.NewGuid():N}.yaml");
        try
        {
            var fakes = new Dictionary<string, string> { ["kubectl"] = FakeKubectl };
            if (clock is not null)
            {
                fakes["date"] = clock;
            }
            var (run, calls) = FakeShell.Run(OperationScripts.PreUpgradeBackup(tenant ?? Tenant.Value, "admin-site", "backup", "upload"),
                fakes,
                new Dictionary<string, string?>
                {
                    ["FAKE_DEPLOYMENT"] = deployment,
                    ["FAKE_JOB"] = job,
                    ["FAKE_JOB_YAML"] = JobYaml,
                    ["FAKE_CREATED"] = created,
                });
            return (run, calls, File.Exists(created) ? File.ReadAllText(created) : "");
        }
        finally
        {
            File.Delete(created);
        }
    }
}
