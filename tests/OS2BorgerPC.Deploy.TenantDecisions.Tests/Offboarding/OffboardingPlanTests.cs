using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Offboarding;

/// <summary>The offboarding plan: a hand-over of the current data, a retention period, and a removal only when confirmed after it.</summary>
public sealed class OffboardingPlanTests
{
    private static readonly DateTimeOffset Final = new(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_cloudnative_pg_tenant_loses_its_repository_and_its_wal_archive_and_is_billed_for_both_until_then()
    {
        var plan = OffboardingPlan.For(new(RepositoryRoot.Tenant("faelles-it"), null, Final, Final.AddDays(1)));

        plan.Refused.ShouldBeFalse();
        plan.Removal.ShouldBeEmpty("no confirmation: the plan only");
        string.Join("\n", plan.Steps).ShouldContain("On or after 2026-12-01 02:00 UTC, remove the tenant: pulumi state unprotect --all --stack faelles-it; pulumi destroy --stack faelles-it (the workloads go, CloudNativePG's WAL archiving with them");
        string.Join("\n", plan.Steps).ShouldContain("Then: tenant offboard faelles-it --final-backup <its time> --confirm faelles-it prints the removal");
        plan.Billed[0].ShouldContain("restic/ (the repository) and cnpg/ (base backups and WAL archive)");
        plan.Billed[0].ShouldContain("container tenant-faelles-it");
        plan.Billed[0].ShouldContain("prefix tenants/faelles-it/");
        plan.Billed[1].ShouldContain("Until the namespace is deleted");
    }

    [Fact]
    public void An_azure_tenant_has_no_wal_archive_of_ours_and_is_billed_for_its_resource_group()
    {
        var plan = OffboardingPlan.For(new(RepositoryRoot.Tenant("aarhus"), null, null, Final));

        plan.Billed[0].ShouldNotContain("cnpg/");
        plan.Billed[1].ShouldContain("rg-os2borgerpc-aarhus");
        // 'tenant restore --at' leaves its temporary server behind when its delete fails (AzurePointInTime.ServerName).
        plan.Billed[1].ShouldContain($"any temporary point-in-time server 'tenant restore --at' left ({RepositoryRoot.Tenant("aarhus").Names.PostgresServer}-p<yyMMddHHmmss>; az postgres flexible-server list --resource-group rg-os2borgerpc-aarhus)");
        string.Join("\n", plan.Steps).ShouldContain("30 days after the final backup");
    }

    [Theory]
    [InlineData(29.9, true)]
    [InlineData(30.0, false)]
    public void The_removal_is_allowed_from_the_end_of_the_retention_period(double daysAfterFinal, bool refused)
    {
        var plan = OffboardingPlan.For(new(RepositoryRoot.Tenant("faelles-it"), "faelles-it", Final, Final.AddDays(daysAfterFinal)));

        plan.Refused.ShouldBe(refused);
        (plan.Removal.Count > 0).ShouldBe(!refused);
    }

    [Fact]
    public void A_confirmation_naming_another_tenant_is_refused_even_after_the_period()
    {
        var plan = OffboardingPlan.For(new(RepositoryRoot.Tenant("faelles-it"), "aarhus", Final, Final.AddDays(60)));

        plan.Refusals.ShouldHaveSingleItem().ShouldStartWith("--confirm 'aarhus' does not name this tenant");
        plan.Removal.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("faelles-it")]
    [InlineData("aarhus")]
    public void Nothing_writes_off_site_after_the_final_backup_and_the_removal_comes_after_the_destroy_and_before_the_stack_goes(string slug)
    {
        var steps = OffboardingPlan.For(new(RepositoryRoot.Tenant(slug), null, Final, Final)).Steps.ToList();
        int StepWith(string text) => steps.FindIndex(step => step.Contains(text, StringComparison.Ordinal)) is var i and >= 0 ? i : throw new ShouldAssertException($"no step with '{text}'");

        // The nightly backup would re-create the repository the removal deletes: suspended before the final backup.
        var backup = steps[StepWith("offboard-final")];
        backup.IndexOf("patch cronjob backup -p '{\"spec\":{\"suspend\":true}}'", StringComparison.Ordinal)
            .ShouldBeInRange(0, backup.IndexOf("create job --from=cronjob/backup offboard-final", StringComparison.Ordinal) - 1);
        // CloudNativePG archives WAL until its cluster goes: the removal after the destroy.
        StepWith("pulumi destroy").ShouldBeGreaterThan(StepWith("Keep the tenant deployed"));
        StepWith($"--confirm {slug} prints the removal").ShouldBeGreaterThan(StepWith("Delete the retained data by hand"));
        StepWith("Delete the retained data by hand").ShouldBeGreaterThan(StepWith("pulumi destroy"));
        // The removal reads the stack file; 'pulumi stack rm' and its deletion come last.
        StepWith($"pulumi stack rm {slug}").ShouldBeGreaterThan(StepWith($"--confirm {slug} prints the removal"));
        StepWith($"stacks/Pulumi.{slug}.yaml").ShouldBe(steps.Count - 1);
    }

    [Fact]
    public void The_final_backup_is_waited_for_as_long_as_the_backup_job_may_run()
    {
        var plan = OffboardingPlan.For(new(RepositoryRoot.Tenant("faelles-it"), null, null, Final));

        // The backup CronJob's Jobs fail after JobLimits.DeadlineSeconds (TenantProgram CronJobs: activeDeadlineSeconds).
        OffboardingPlan.FinalBackupWaitSeconds.ShouldBeGreaterThanOrEqualTo(JobLimits.DeadlineSeconds);
        string.Join("\n", plan.Steps).ShouldContain($"kubectl -n os2borgerpc-faelles-it wait --for=condition=complete job/offboard-final --timeout={OffboardingPlan.FinalBackupWaitSeconds}s");
    }

    [Fact]
    public void Without_a_confirmation_the_plan_is_not_refused_and_a_refusal_prints_no_removal()
    {
        OffboardingPlan.For(new(RepositoryRoot.Tenant("faelles-it"), null, null, Final)).Refused.ShouldBeFalse();

        var early = OffboardingPlan.For(new(RepositoryRoot.Tenant("faelles-it"), "faelles-it", null, Final));
        early.Refusals.ShouldHaveSingleItem().ShouldEndWith("No removal printed.");
        early.Removal.ShouldBeEmpty();
        early.Steps.ShouldNotBeEmpty("the plan is printed with a refusal too");
    }
}
