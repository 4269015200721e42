using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Status;

public sealed class RestoreDrillsTests
{
    private static readonly string[] Fleet = ["odense", "aarhus", "restore-drill", "koebenhavn"];

    [Fact]
    public void A_small_fleet_drills_the_next_tenant_in_slug_order_each_month_and_never_the_drill_tenant()
    {
        // Three tenants: one a month. 2026 * 12 + 0 = 24312 = 3 * 8104: January 2026 starts the turn at the first slug.
        var months = Enumerable.Range(1, 6).Select(month => RestoreDrills.TenantsFor(Fleet, 2026, month).ShouldHaveSingleItem()).ToList();

        months.ShouldBe(["aarhus", "koebenhavn", "odense", "aarhus", "koebenhavn", "odense"]);
        RestoreDrills.TenantsFor(Fleet, 2026, 12).ShouldBe(RestoreDrills.TenantsFor(Fleet.Reverse(), 2026, 12));
        RestoreDrills.TenantsFor(Fleet, 2027, 1).ShouldBe(["aarhus"]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(12, 1)]
    [InlineData(13, 2)]
    [InlineData(98, 9)]
    [InlineData(144, 12)]
    public void A_month_drills_a_twelfth_of_the_fleet_rounded_up(int tenants, int perMonth) =>
        RestoreDrills.PerMonth(tenants).ShouldBe(perMonth);

    /// <summary>The 98 municipalities (each its own tenant): nine a month, every one drilled in any twelve months in a row.</summary>
    [Fact]
    public void Each_of_the_98_municipalities_is_drilled_within_any_twelve_months_in_a_row()
    {
        var fleet = MunicipalityRegister.All.Select(m => m.Slug).Append(RestoreDrills.DrillTenant).ToList();
        fleet.Count.ShouldBe(99);

        var months = Enumerable.Range(0, 36).Select(i => new DateOnly(2026, 1, 1).AddMonths(i)).ToList();
        var drilled = months.Select(m => RestoreDrills.TenantsFor(fleet, m.Year, m.Month)).ToList();
        drilled.ShouldAllBe(month => month.Count == 9 && month.Distinct().Count() == 9 && !month.Contains(RestoreDrills.DrillTenant));
        for (var first = 0; first + 12 <= months.Count; first++)
        {
            var year = drilled.Skip(first).Take(12).SelectMany(month => month).ToHashSet();
            year.Count.ShouldBe(98, $"the twelve months from {months[first]:yyyy-MM} miss {string.Join(", ", fleet.Except(year).Except([RestoreDrills.DrillTenant]))}");
        }
    }

    [Fact]
    public void The_drills_of_a_month_fall_one_a_day_from_the_first_drill_day()
    {
        var fleet = MunicipalityRegister.All.Select(m => m.Slug).ToList();
        var month = RestoreDrills.TenantsFor(fleet, 2026, 12);

        var days = Enumerable.Range(1, 31).Select(day => RestoreDrills.TenantOn(fleet, new DateOnly(2026, 12, day))).ToList();

        days.Take(RestoreDrills.FirstDrillDay - 1).ShouldAllBe(tenant => tenant == null);
        days.Skip(RestoreDrills.FirstDrillDay - 1).Take(9).ShouldBe(month);
        days.Skip(RestoreDrills.FirstDrillDay - 1 + 9).ShouldAllBe(tenant => tenant == null);
    }

    [Fact]
    public void A_fleet_without_a_tenant_to_drill_or_too_large_for_the_drill_days_is_refused_by_name()
    {
        Should.Throw<InvalidOperationException>(() => RestoreDrills.TenantsFor(["restore-drill"], 2026, 3))
            .Message.ShouldContain("no tenant to drill");
        Should.Throw<ArgumentOutOfRangeException>(() => RestoreDrills.TenantsFor(Fleet, 2026, 13));
        RestoreDrills.TenantsFor(Enumerable.Range(0, 144).Select(i => $"t{i:000}"), 2026, 3).Count.ShouldBe(12);
        Should.Throw<InvalidOperationException>(() => RestoreDrills.TenantsFor(Enumerable.Range(0, 145).Select(i => $"t{i:000}"), 2026, 3))
            .Message.ShouldContain("A fleet of 145 tenants needs 13 drills a month, more than the drill workflow's 12 days (3-14)");
    }

    [Fact]
    public void The_newest_drill_of_each_tenant_counts()
    {
        var (latest, problem) = RestoreDrills.Parse("""
            [ { "tenant": "aarhus", "date": "2026-01-01T05:00:00Z", "durationSeconds": 900, "result": "failed", "detail": "login page 502" },
              { "tenant": "aarhus", "date": "2026-04-01T05:00:00Z", "durationSeconds": 812, "result": "passed" },
              { "tenant": "odense", "date": "2026-02-01T05:00:00Z", "durationSeconds": 640, "result": "passed" } ]
            """, "drill-results.json");

        problem.ShouldBeNull();
        latest!["aarhus"].ShouldBe(new DrillResult("aarhus", DateTimeOffset.Parse("2026-04-01T05:00:00Z"), 812, DrillVerdict.Passed));
        latest["odense"].DurationSeconds.ShouldBe(640);
    }

    [Theory]
    [InlineData("""{ "tenant": "aarhus" }""")]
    [InlineData("""[ { "tenant": "aarhus", "date": "2026-04-01T05:00:00Z", "durationSeconds": 812, "result": "maybe" } ]""")]
    [InlineData("""[ { "tenant": "aarhus", "date": "2026-04-01T05:00:00Z", "result": "passed" } ]""")]
    [InlineData("""[ { "tenant": "aarhus", "date": "2026-04-01T05:00:00Z", "durationSeconds": 1, "result": "passed", "extra": 1 } ]""")]
    public void A_file_that_is_not_drill_results_is_a_problem_naming_it(string json)
    {
        var (latest, problem) = RestoreDrills.Parse(json, "drill-results.json");

        latest.ShouldBeNull();
        problem!.File.ShouldBe("drill-results.json");
        problem.Message.ShouldStartWith("is not a drill results file");
    }

    /// <summary>
    /// Azure Blob: a workload identity cannot be lent (RestoreJob.SourceOf refuses without backup.drillFrom), so the run
    /// grants the drill tenant read on the tenant's container; S3: the tenant's key is lent, and backup.drillFrom is refused
    /// there (PlatformInputs), so nothing is granted.
    /// </summary>
    [Fact]
    public void Only_a_drill_on_an_azure_blob_platform_names_the_tenant_in_drill_from()
    {
        var (drill, source) = DrillAndSource();

        RestoreDrills.AccessTo(drill, source, BackupTargetKind.AzureBlob).ShouldBe((DrillAccess.DrillFrom, null));
        RestoreDrills.AccessTo(drill, source, BackupTargetKind.S3).ShouldBe((DrillAccess.LentKey, null));
        RestoreDrills.AccessName(DrillAccess.DrillFrom).ShouldBe("drillFrom");
        RestoreDrills.AccessName(DrillAccess.LentKey).ShouldBe("lentKey");
    }

    [Fact]
    public void A_tenant_on_another_platform_is_refused_whatever_the_store()
    {
        var (drill, source) = DrillAndSource();
        var elsewhere = source with { Platform = new PlatformReference("organization/os2borgerpc-platform/demo", null) };

        foreach (var kind in Enum.GetValues<BackupTargetKind>())
        {
            var (access, refusal) = RestoreDrills.AccessTo(drill, elsewhere, kind);
            access.ShouldBeNull();
            refusal.ShouldBe("aarhus runs on platform 'organization/os2borgerpc-platform/demo', the drill tenant restore-drill on " +
                "'organization/os2borgerpc-platform/prod': a drill restores only from its own platform's store and cluster. " +
                "Drill aarhus by hand into a tenant on its platform (os2borgerpc:tenant.backup.drillFrom, tenant restore --into).");
        }
    }

    private static (Tenant Drill, Tenant Source) DrillAndSource()
    {
        var source = RepositoryRoot.Tenant("aarhus");
        source.Platform.Stack.ShouldBe("organization/os2borgerpc-platform/prod");
        return (source with { Slug = RestoreDrills.DrillTenant }, source);
    }
}
