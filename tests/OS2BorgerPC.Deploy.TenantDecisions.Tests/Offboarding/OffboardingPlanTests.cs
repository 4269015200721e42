using OS2BorgerPC.Deploy.TenantDecisions.Backup;
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
        string.Join("\n", plan.Steps).ShouldContain("On or after 2026-12-01 02:00 UTC: tenant offboard faelles-it --final-backup <its time> --confirm faelles-it");
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
}
