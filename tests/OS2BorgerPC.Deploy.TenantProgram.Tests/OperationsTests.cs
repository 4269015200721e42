using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>Around a rollout: a backup before a version change (Pulumi.Command), a smoke-check Job after; and how long Pulumi waits.</summary>
[Collection(PulumiCollection.Name)]
public sealed class OperationsTests
{
    private const string Command = "command:local:Command";
    private const string Job = "kubernetes:batch/v1:Job";

    [Fact]
    public async Task The_rollout_waits_for_the_pre_upgrade_backup_and_the_smoke_check_for_the_rollout()
    {
        var run = await StackHarness.RunShipped("faelles-it");

        (await run.OptionsOf(Command, "pre-upgrade-backup").DependencyNames()).ShouldContain("backup");
        (await run.OptionsOf("kubernetes:apps/v1:Deployment", "admin-site").DependencyNames()).ShouldContain("pre-upgrade-backup");
        (await run.OptionsOf(Job, "smoke-check").DependencyNames()).ShouldBe(["admin-site", "faelles-it"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_backup_runs_again_only_when_the_version_changes()
    {
        var baseline = BackupCommand(await StackHarness.RunShipped("faelles-it"));
        var otherSettings = BackupCommand(await StackHarness.Run("faelles-it", Shipped()
            .Replace("size: medium", "size: large").Replace("smokeCheck: true", "smokeCheck: false")));
        var newVersion = BackupCommand(await StackHarness.Run("faelles-it", Shipped()
            .Replace("    adminSite: {}", "    adminSite:\n      version: 7.2.0")));

        baseline["triggers"].ShouldBe(new object[] { "7.1.0" });
        // Size and smoke check do not touch the backup command.
        otherSettings.Keys.ShouldBe(baseline.Keys, ignoreOrder: true);
        otherSettings["create"].ShouldBe(baseline["create"]);
        otherSettings["triggers"].ShouldBe(new object[] { "7.1.0" });
        newVersion["triggers"].ShouldBe(new object[] { "7.2.0" });
        newVersion["create"].ShouldBe(baseline["create"]);
    }

    [Fact]
    public async Task The_backup_runs_the_tenants_cronjob_in_its_namespace_and_stops_the_upgrade_on_failure()
    {
        var script = (string)BackupCommand(await StackHarness.RunShipped("faelles-it"))["create"];

        script.ShouldContain("--namespace os2borgerpc-faelles-it");
        script.ShouldContain("create job \"$job\" --from=cronjob/backup");
        script.ShouldContain("exit 1");
    }

    [Fact]
    public async Task The_smoke_check_is_a_restricted_job_in_the_tenants_namespace_that_asks_the_service_and_the_gateway()
    {
        var run = await StackHarness.RunShipped("faelles-it");

        var job = run.Single<Pulumi.Kubernetes.Batch.V1.Job>("smoke-check");
        (await job.Metadata.Value()).Namespace.ShouldBe("os2borgerpc-faelles-it");
        var spec = await job.Spec.Value();
        spec.BackoffLimit.ShouldBe(0);
        var pod = spec.Template.Spec;
        pod.SecurityContext.RunAsNonRoot.ShouldBe(true);
        pod.SecurityContext.SeccompProfile.Type.ShouldBe("RuntimeDefault");
        pod.AutomountServiceAccountToken.ShouldBe(false);
        var container = pod.Containers.Single();
        container.SecurityContext.AllowPrivilegeEscalation.ShouldBe(false);
        container.SecurityContext.Capabilities.Drop.ShouldBe(["ALL"]);
        container.SecurityContext.ReadOnlyRootFilesystem.ShouldBe(true);
        container.TerminationMessagePolicy.ShouldBe("FallbackToLogsOnError");
        spec.Template.Metadata.Labels["app.kubernetes.io/name"].ShouldBe("smoke-check");
        var script = container.Command.Last();
        script.ShouldContain("service='http://admin-site:80'");
        script.ShouldContain("host='faelles-it.borgerpc.dk'");
        script.ShouldContain($"gateway='{TenantMocks.GatewayAddress}'");
        script.ShouldContain("/admin-xml/");
        // The platform's pods (192.168.0.0/16) and nodes (10.240.0.0/20) are outside faelles-it's 10.40.0.0/14.
        script.ShouldContain("expect=refused");
        script.ShouldContain("are outside clientSourceRanges, so the allow-list must refuse them");
        run.Inputs.ShouldNotContain(i => i.Type == Command && i.Name == "smoke-check", "no curl on the machine running pulumi up");

        var off = await StackHarness.Run("faelles-it", Shipped().Replace("smokeCheck: true", "smokeCheck: false"));
        off.Inputs.ShouldNotContain(i => i.Name == "smoke-check");
        off.Inputs.ShouldContain(i => i.Name == "pre-upgrade-backup");
    }

    [Fact]
    public async Task Pulumi_waits_for_the_rollout_and_the_smoke_check_longer_than_kubernetes_would_let_them_take()
    {
        var run = await StackHarness.RunShipped("faelles-it");

        var app = (await run.Single<Pulumi.Kubernetes.Apps.V1.Deployment>("admin-site").Spec.Value()).Template.Spec.Containers.Single(c => c.Name == "admin-site");
        var probeWindow = TimeSpan.FromSeconds((int)app.StartupProbe.PeriodSeconds! * (int)app.StartupProbe.FailureThreshold!);
        probeWindow.ShouldBe(TimeSpan.FromSeconds(StartupBudget.Seconds));
        var deployment = run.OptionsOf("kubernetes:apps/v1:Deployment", "admin-site").Timeouts.ShouldNotBeNull();
        deployment.Create!.Value.ShouldBeGreaterThan(probeWindow);
        deployment.Update!.Value.ShouldBeGreaterThan(probeWindow);
        var jobDeadline = TimeSpan.FromSeconds((await run.Single<Pulumi.Kubernetes.Batch.V1.Job>("smoke-check").Spec.Value()).ActiveDeadlineSeconds!);
        var job = run.OptionsOf(Job, "smoke-check").Timeouts.ShouldNotBeNull();
        job.Create!.Value.ShouldBeGreaterThan(jobDeadline);
        job.Update!.Value.ShouldBeGreaterThan(jobDeadline);
    }

    [Fact]
    public async Task A_rendered_demo_runs_no_commands()
    {
        var run = await StackHarness.RunShipped("demo");

        run.Inputs.ShouldNotContain(i => i.Type == Command);
    }

    private static string Shipped() => RepositoryRoot.StackText("faelles-it");

    private static IDictionary<string, object> BackupCommand(StackRun run) => run.InputsOf(Command, "pre-upgrade-backup").Inputs;
}
