using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary><c>tenant offboard</c>: the plan always; the off-site removal only confirmed and after the retention period; nothing run.</summary>
public sealed class TenantOffboardTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 5, 2, 0, 0, TimeSpan.Zero);
    private readonly TempRepository _repository = new();
    private readonly FakeCluster _cluster = new();

    public TenantOffboardTests() => _repository.Run("tenant", "new", "751").ShouldSucceed();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void The_plan_hands_over_the_current_data_not_backups_and_says_what_stays_billed()
    {
        var run = Offboard().ShouldSucceed();

        run.Output.ShouldContain("Plan for offboarding aarhus:");
        run.Output.ShouldContain("kubectl -n os2borgerpc-aarhus exec handover -c media -- tar -C /media -cf - . > aarhus-media.tar");
        run.Output.ShouldContain("kubectl -n os2borgerpc-aarhus exec handover -c database -- pg_dump --format=custom --no-password > aarhus-database.dump");
        run.Output.ShouldNotContain(":/backups"); // the old steps copied restore:/backups, import staging only
        // Nor a pod that mounts the retired backups claim (the restore pod of "Restoring from a backup volume" does).
        run.Output.ShouldNotContain("Restoring from a backup volume");
        run.Output.ShouldContain("start the hand-over pod, handover (docs/RUNBOOK.md, \"Offboarding a tenant\", step 3: it mounts /media and reaches the database, no backup volume)");
        run.Output.ShouldContain("What stays billed:");
        run.Output.ShouldContain("30 days after the final backup");
        run.Output.ShouldNotContain("az storage container delete");
        _cluster.Calls.ShouldBeEmpty();
    }

    [Fact]
    public void The_plan_stops_the_nightly_backups_before_the_final_one_and_removes_the_off_site_data_after_the_destroy()
    {
        var output = Offboard("--final-backup", "2025-03-01T02:00:00Z").ShouldSucceed().Output;

        output.ShouldContain("  2. Stop the nightly backups, so the final backup stays the last: kubectl -n os2borgerpc-aarhus patch cronjob backup -p '{\"spec\":{\"suspend\":true}}'");
        output.ShouldContain("kubectl -n os2borgerpc-aarhus wait --for=condition=complete job/offboard-final --timeout=10800s (the backup Job's own deadline)");
        output.ShouldContain("  5. On or after 2025-03-31 02:00 UTC, remove the tenant: pulumi state unprotect --all --stack aarhus; pulumi destroy --stack aarhus");
        output.ShouldContain("  6. Delete the retained data by hand (docs/RUNBOOK.md, \"Offboarding a tenant\", step 6): kubectl delete namespace os2borgerpc-aarhus");
        output.ShouldContain("  7. Then: tenant offboard aarhus --final-backup <its time> --confirm aarhus prints the removal of the off-site data");
        output.ShouldContain("  8. Last: pulumi stack rm aarhus; a pull request deleting stacks/Pulumi.aarhus.yaml.");
    }

    [Fact]
    public void An_offboarding_without_the_right_confirmation_is_refused_and_touches_nothing()
    {
        Offboard("--final-backup", "2025-01-01T00:00:00Z", "--confirm", "odense")
            .ShouldFail("--confirm 'odense' does not name this tenant: removing the off-site data cannot be undone; repeat its slug, --confirm aarhus. No removal printed.")
            .Output.ShouldSatisfyAllConditions(
                output => output.ShouldContain("Plan for offboarding aarhus:"), // the plan, and why the removal is refused
                output => output.ShouldNotContain("az storage container delete"),
                output => output.ShouldNotContain("It cannot be undone"));
        _cluster.Calls.ShouldBeEmpty();
    }

    [Fact]
    public void A_confirmed_removal_waits_out_the_retention_period_after_the_final_backup()
    {
        Offboard("--final-backup", "2025-02-20T10:00:00Z", "--confirm", "aarhus")
            .ShouldFail("The off-site data is kept until 2025-03-22 10:00 UTC (30 days after the final backup); it is 2025-03-05. No removal printed.")
            .Output.ShouldNotContain("aws s3 rm");
        Offboard("--confirm", "aarhus").ShouldFail("Say when the final backup was taken (--final-backup <time>, as 'tenant backups aarhus' lists it): the off-site data is kept 30 days after it. No removal printed.")
            .Output.ShouldNotContain("aws s3 rm");

        var run = Offboard("--final-backup", "2025-02-01T10:00:00Z", "--confirm", "aarhus").ShouldSucceed();
        run.Output.ShouldContain("az storage container delete --account-name <backup account> --name tenant-aarhus --auth-mode login");
        run.Output.ShouldContain("aws s3 rm s3://<bucket>/tenants/aarhus/ --recursive");
        run.Output.ShouldContain("Removal of the off-site data of aarhus (confirmed; the retention period has passed; after 'pulumi destroy', before 'pulumi stack rm'). It cannot be undone:");
        _cluster.Calls.ShouldBeEmpty();
    }

    private CliRun Offboard(params string[] options) =>
        CliRun.In(_repository.Root, new Shell(_cluster, new FixedTime(Now), TimeSpan.Zero), ["tenant", "offboard", "aarhus", .. options]);
}
