using OS2BorgerPC.Deploy.TenantDecisions.Fleet;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Status;

public sealed class RestoreDrillsTests
{
    private static readonly string[] Fleet = ["odense", "aarhus", "restore-drill", "koebenhavn"];

    [Fact]
    public void Each_month_drills_the_next_tenant_in_slug_order_and_never_the_drill_tenant()
    {
        // 2026 * 12 + 0 = 24312 = 3 * 8104: January 2026 starts the turn at the first slug.
        var months = Enumerable.Range(1, 6).Select(month => RestoreDrills.TenantFor(Fleet, 2026, month)).ToList();

        months.ShouldBe(["aarhus", "koebenhavn", "odense", "aarhus", "koebenhavn", "odense"]);
        RestoreDrills.TenantFor(Fleet, 2026, 12).ShouldBe(RestoreDrills.TenantFor(Fleet.Reverse(), 2026, 12));
        RestoreDrills.TenantFor(Fleet, 2027, 1).ShouldBe("aarhus");
    }

    [Fact]
    public void A_fleet_without_a_tenant_to_drill_is_refused_by_name()
    {
        Should.Throw<InvalidOperationException>(() => RestoreDrills.TenantFor(["restore-drill"], 2026, 3))
            .Message.ShouldContain("no tenant to drill");
        Should.Throw<ArgumentOutOfRangeException>(() => RestoreDrills.TenantFor(Fleet, 2026, 13));
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
}
