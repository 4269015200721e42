using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using static OS2BorgerPC.Deploy.Testing.FleetStatusSamples;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Status;

/// <summary>How the status of a large fleet is laid out: counts, attention first, healthy ones after, the spreads.</summary>
public sealed class FleetStatusOverviewTests
{
    [Fact]
    public void The_counts_are_tenants_per_kind_of_problem_the_most_common_first()
    {
        var overview = FleetStatusOverview.Of(LargeFleet(98));

        overview.Headline.ShouldBe("98 tenants: 93 healthy, 5 need attention");
        // kommune-64 has two kinds (version and commit) and counts once in each; ties keep the checks' order.
        overview.Problems.Select(p => (p.Label, p.Tenants)).ShouldBe(
        [
            ("backup stale or missing", 2), ("version not the stack file's", 1), ("not deployed from main", 1),
            ("certificate expiring or unknown", 1), ("pods not ready", 1),
        ]);
    }

    [Fact]
    public void A_tenant_with_several_problems_of_one_kind_counts_once_for_it()
    {
        var twice = FleetStatusAssessment.Assess(Healthy("a"), StatusThresholds.Default, Main, Now) with
        {
            Attention = [new Attention(StatusCheck.Pods, "1 of 2 pods not ready"), new Attention(StatusCheck.Pods, "a pod restarts")],
        };

        FleetStatusOverview.Of(Report() with { Tenants = [twice] }).Problems.ShouldBe([new ProblemCount(StatusCheck.Pods, "pods not ready", 1)]);
    }

    [Fact]
    public void The_tenants_that_need_attention_come_first_the_most_troubled_first_then_by_name()
    {
        var overview = FleetStatusOverview.Of(LargeFleet(98));

        overview.NeedAttention.Select(t => t.Observation.Tenant).ShouldBe(["kommune-64", "kommune-07", "kommune-31", "kommune-52", "kommune-88"]);
        overview.Healthy.Count.ShouldBe(93);
        overview.Healthy.Select(t => t.Observation.Tenant).ShouldBe(overview.Healthy.Select(t => t.Observation.Tenant).Order(StringComparer.Ordinal));
        overview.Healthy.ShouldAllBe(t => !t.NeedsAttention);
    }

    [Fact]
    public void The_headline_counts_in_words()
    {
        FleetStatusOverview.Of(Report(Healthy("a"), Healthy("b"))).Headline.ShouldBe("2 tenants: all healthy");
        FleetStatusOverview.Of(Report(Troubled("a"))).Headline.ShouldBe("1 tenant: 0 healthy, 1 needs attention");
    }

    [Fact]
    public void Backup_ages_fall_in_four_bands_up_to_the_threshold_then_over_it_then_none()
    {
        // Upper edges belong to their band: 6 h is in 0–6, 26 h is not yet too old (the assessment flags more than 26).
        var report = Report(
            Healthy("a", 0), Healthy("b", 6), Healthy("c", 6.5), Healthy("d", 13), Healthy("e", 20), Healthy("f", 26),
            Healthy("g", 26.5), NotDeployed("h"));

        FleetStatusOverview.Of(report).BackupAges.ShouldBe(
        [
            new Band("0–6 h", 2, false), new Band("6–13 h", 2, false), new Band("13–19 h", 0, false), new Band("19–26 h", 2, false),
            new Band("over 26 h", 1, true), new Band(FleetStatusOverview.NoBackup, 1, true),
        ]);
    }

    [Fact]
    public void A_threshold_of_one_hour_has_one_band_below_it()
    {
        var report = FleetStatusAssessment.Report([Healthy("a", 0.5), Healthy("b", 3)], new StatusThresholds(1, 14), Main, Now);

        FleetStatusOverview.Of(report).BackupAges.Select(b => (b.Label, b.Tenants)).ShouldBe([("0–1 h", 1), ("over 1 h", 1), (FleetStatusOverview.NoBackup, 0)]);
    }

    [Fact]
    public void A_running_version_is_marked_where_a_tenant_runs_it_against_its_stack_file()
    {
        var wantsOld = Healthy("c") with { DesiredVersion = "7.0.9", DeployedVersion = Observed<string>.Known("7.0.9") };

        FleetStatusOverview.Of(Report(Healthy("a"), Troubled("b"), wantsOld, NotDeployed("d"))).Versions.ShouldBe(
            [new Band("7.1.0", 1, false), new Band("7.0.9", 2, true), new Band("unknown", 1, true)]);
    }
}
