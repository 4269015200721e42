using OS2BorgerPC.Deploy.Infra.Tests.Testing;

namespace OS2BorgerPC.Deploy.Infra.Tests;

/// <summary>Pulumi.Command around a rollout: a backup before a version change, a smoke check after.</summary>
[Collection(PulumiCollection.Name)]
public sealed class OperationsTests
{
    private const string Command = "command:local:Command";

    [Fact]
    public async Task The_rollout_waits_for_the_pre_upgrade_backup_and_the_smoke_check_for_the_rollout()
    {
        var run = await StackHarness.RunShipped("faelles-it");

        (await run.OptionsOf(Command, "pre-upgrade-backup").DependencyNames()).ShouldContain("backup");
        (await run.OptionsOf("kubernetes:apps/v1:Deployment", "admin-site").DependencyNames()).ShouldContain("pre-upgrade-backup");
        (await run.OptionsOf(Command, "smoke-check").DependencyNames()).ShouldBe(["admin-site"]);
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
    public async Task The_smoke_check_asks_the_login_page_and_xml_rpc_and_can_be_switched_off()
    {
        var run = await StackHarness.RunShipped("faelles-it");
        var smoke = run.InputsOf(Command, "smoke-check").Inputs;
        var script = (string)smoke["create"];
        script.ShouldContain("'https://faelles-it.borgerpc.dk/accounts/login/'");
        script.ShouldContain("'https://faelles-it.borgerpc.dk/admin-xml/'");
        script.ShouldContain("--retry-max-time 600");
        smoke["logging"].ShouldBe("stderr");

        var off = await StackHarness.Run("faelles-it", Shipped().Replace("smokeCheck: true", "smokeCheck: false"));
        off.Inputs.ShouldNotContain(i => i.Name == "smoke-check");
        off.Inputs.ShouldContain(i => i.Name == "pre-upgrade-backup");
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
