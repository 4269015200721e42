using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.Tenants.Model;
using OS2BorgerPC.Deploy.Tenants.Templates;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// The script Pulumi.Command runs before a rollout, under dash, against a fake kubectl that answers as
/// the cluster would: the upgrade goes on only after a completed backup.
/// </summary>
public sealed class PreUpgradeBackupScriptTests
{
    // Answers like kubectl; FAKE_JOB decides how the backup Job ends, FAKE_DEPLOYMENT whether the app exists yet.
    private const string FakeKubectl = """
        #!/bin/sh
        echo "kubectl $*" >> "$FAKE_LOG"
        case "$*" in
            *"get deployment"*) [ "$FAKE_DEPLOYMENT" = present ] ;;
            *"create job"*) echo "job created" ;;
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
        var (run, calls) = Run(deployment: "present", job: "complete");

        run.ShouldSucceed().Output.ShouldContain("pre-upgrade backup");
        calls.ShouldContain(c => c.Contains("--namespace os2borgerpc-faelles-it create job pre-upgrade-") && c.EndsWith("--from=cronjob/backup"));
    }

    [Fact]
    public void A_failed_backup_stops_the_upgrade_with_a_clear_message()
    {
        var (run, _) = Run(deployment: "present", job: "failed");

        run.ShouldFail().Error.ShouldContain("the upgrade is stopped and the running version stays");
    }

    [Fact]
    public void A_first_installation_has_nothing_to_back_up()
    {
        var (run, calls) = Run(deployment: "absent", job: "failed");

        run.ShouldSucceed().Output.ShouldContain("first installation");
        calls.ShouldNotContain(c => c.Contains("create job"));
    }

    [Fact]
    public void A_kubeconfig_context_with_a_quote_is_passed_as_one_word()
    {
        var tenant = Tenant.Value with { Cluster = Tenant.Value.Cluster with { Context = "it's-prod" } };

        var (run, calls) = Run(deployment: "present", job: "complete", tenant);

        run.ShouldSucceed();
        calls.ShouldAllBe(c => c.StartsWith("kubectl --context it's-prod --namespace os2borgerpc-faelles-it ", StringComparison.Ordinal));
    }

    private static (ProgramRun Run, string[] Calls) Run(string deployment, string job, Tenant? tenant = null) =>
        FakeShell.Run(OperationScripts.PreUpgradeBackup(tenant ?? Tenant.Value, "admin-site", "backup"),
            new Dictionary<string, string> { ["kubectl"] = FakeKubectl },
            new Dictionary<string, string?> { ["FAKE_DEPLOYMENT"] = deployment, ["FAKE_JOB"] = job });
}
