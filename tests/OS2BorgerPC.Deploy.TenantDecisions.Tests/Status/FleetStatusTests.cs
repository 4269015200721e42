using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.Testing;
using static OS2BorgerPC.Deploy.Testing.FleetStatusSamples;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Status;

/// <summary>What of a tenant's gathered facts needs an operator's attention, and by which thresholds.</summary>
public sealed class FleetStatusTests
{
    [Fact]
    public void A_healthy_tenant_needs_no_attention()
    {
        var status = FleetStatusAssessment.Assess(Healthy(), StatusThresholds.Default, Main, Now);

        status.Attention.ShouldBeEmpty();
    }

    [Fact]
    public void Every_kind_of_problem_is_named_with_its_numbers()
    {
        var status = FleetStatusAssessment.Assess(Troubled(), StatusThresholds.Default, Main, Now);

        status.Attention.Select(a => a.Check).ShouldBe(Enum.GetValues<StatusCheck>(), ignoreOrder: true);
        var said = string.Join("\n", status.Attention.Select(a => a.Message));
        said.ShouldContain("runs 7.0.9, the stack file wants 7.1.0");
        said.ShouldContain("deployed from 0123456789ab, main is at 6a96d19567bf");
        said.ShouldContain("last successful backup 30 h ago (more than 26 h)");
        said.ShouldContain("certificate expires in 5 days (less than 14 days)");
        said.ShouldContain("1 of 2 pods not ready");
        said.ShouldContain("drifted (2 resources changed)");
        said.ShouldContain("WAL archiving of odense-db failing for 3 h (ContinuousArchivingFailing: unexpected failure invoking barman-cloud-wal-archive: exit status 4)");
        said.ShouldContain("the restore drill of 2026-02-27 failed (the login page answered 502)");
    }

    [Fact]
    public void Working_WAL_archiving_and_a_tenant_without_CloudNativePG_need_no_attention_and_failing_archiving_marks_the_backup_cell()
    {
        var working = Healthy() with { Archiving = Observed<WalArchiving>.Known(new WalArchiving(true, "aarhus-db", "ContinuousArchivingSuccess", "Continuous archiving is working", null)) };
        FleetStatusAssessment.Assess(working, StatusThresholds.Default, Main, Now).Attention.ShouldBeEmpty();
        FleetStatusAssessment.Assess(Healthy() with { Archiving = null }, StatusThresholds.Default, Main, Now).Attention.ShouldBeEmpty();

        var failing = FleetStatusAssessment.Assess(Healthy() with { Archiving = Troubled().Archiving }, StatusThresholds.Default, Main, Now);
        failing.Attention.ShouldHaveSingleItem().Check.ShouldBe(StatusCheck.Archiving);
        FleetStatusCells.Of(failing, Now).Single(c => c.Column == FleetStatusCells.LastBackupColumn).Attention.ShouldBeTrue();
    }

    /// <summary>A drill: date, result and duration in its cell; none yet is shown, not flagged (a tenant new to the fleet waits for its turn).</summary>
    [Fact]
    public void The_last_drill_is_shown_and_only_a_failed_one_needs_attention()
    {
        Cell(Healthy(), "last drill").ShouldBe(new StatusCell("last drill", "passed 2026-02-20, 14 min", false));
        Cell(Troubled(), "last drill").ShouldBe(new StatusCell("last drill", "failed 2026-02-27, 25 min", true));
        Cell(Healthy() with { Drill = Observed<DrillResult>.Unknown("not drilled yet") }, "last drill")
            .ShouldBe(new StatusCell("last drill", "none", false));
        FleetStatusAssessment.Assess(Healthy() with { Drill = Observed<DrillResult>.Unknown("not drilled yet") }, StatusThresholds.Default, Main, Now)
            .Attention.ShouldBeEmpty();
    }

    /// <summary>Every tenant is drilled once a year (RestoreDrills.TenantsFor): a passed drill more than 13 months old means its turn was missed.</summary>
    [Fact]
    public void A_passed_drill_older_than_thirteen_months_needs_attention_and_one_of_thirteen_months_does_not()
    {
        static DrillResult Passed(DateTimeOffset date) => new("aarhus", date, 840, DrillVerdict.Passed);

        var due = FleetStatusAssessment.Assess(Healthy() with { Drill = Observed<DrillResult>.Known(Passed(Now.AddMonths(-13))) }, StatusThresholds.Default, Main, Now);
        due.Attention.ShouldBeEmpty();

        var overdue = FleetStatusAssessment.Assess(Healthy() with { Drill = Observed<DrillResult>.Known(Passed(Now.AddMonths(-13).AddDays(-1))) }, StatusThresholds.Default, Main, Now);
        overdue.Attention.ShouldHaveSingleItem().Check.ShouldBe(StatusCheck.Drill);
        overdue.Attention.Single().Message.ShouldBe(
            "last restore drill 2025-02-01, 394 days ago (more than 13 months; every tenant is drilled once a year): run restore-drill.yml by hand with tenant aarhus");
        FleetStatusCells.Of(overdue, Now).Single(c => c.Column == "last drill").ShouldBe(new StatusCell("last drill", "passed 2025-02-01, 14 min", true));
    }

    private static StatusCell Cell(TenantObservation observation, string column) =>
        FleetStatusCells.Of(FleetStatusAssessment.Assess(observation, StatusThresholds.Default, Main, Now), Now).Single(c => c.Column == column);

    [Fact]
    public void What_could_not_be_read_needs_attention_with_the_reason_except_commit_and_drift()
    {
        var status = FleetStatusAssessment.Assess(NotDeployed(), StatusThresholds.Default, Main, Now);

        status.Attention.Select(a => a.Check).ShouldBe([StatusCheck.Version, StatusCheck.Backup, StatusCheck.Certificate, StatusCheck.Pods]);
        status.Attention.ShouldContain(a => a.Message == "pods unknown: cluster unreachable");
        FleetStatusCells.Of(status, Now).Single(c => c.Column == "commit").ShouldBe(new StatusCell("commit", "unknown", false, "no stack 'vejle' in the Pulumi backend"));
    }

    [Theory]
    [InlineData(25.9, false)]
    [InlineData(26.1, true)]
    public void A_backup_is_too_old_after_the_threshold(double hours, bool flagged)
    {
        var observation = Healthy() with { LastBackup = Observed<DateTimeOffset>.Known(Now.AddHours(-hours)) };

        FleetStatusAssessment.Assess(observation, StatusThresholds.Default, Main, Now).Flags(StatusCheck.Backup).ShouldBe(flagged);
    }

    [Fact]
    public void An_expired_certificate_says_so()
    {
        var observation = Healthy() with { CertificateNotAfter = Observed<DateTimeOffset>.Known(Now.AddDays(-3)) };

        FleetStatusAssessment.Assess(observation, StatusThresholds.Default, Main, Now).Attention.ShouldHaveSingleItem().Message.ShouldBe("certificate expired 3 days ago");
    }

    [Fact]
    public void A_short_commit_of_main_s_head_is_main()
    {
        var observation = Healthy() with { DeployedCommit = Observed<string>.Known(Main[..7]) };

        FleetStatusAssessment.Assess(observation, StatusThresholds.Default, Main, Now).Attention.ShouldBeEmpty();
    }

    [Fact]
    public void The_version_spread_counts_tenants_per_running_version_newest_first()
    {
        var report = Report(Healthy("a"), Healthy("b"), Troubled("c"), NotDeployed("d"), Healthy("e") with { DeployedVersion = Observed<string>.Known("7.10.0") });

        report.VersionSpread().ShouldBe([("7.10.0", 1), ("7.1.0", 2), ("7.0.9", 1), ("unknown", 1)]);
        report.NeedsAttention.ShouldBeTrue();
        Report(Healthy("a")).NeedsAttention.ShouldBeFalse();
    }

    [Fact]
    public void The_thresholds_are_fleet_defaults_in_Pulumi_yaml()
    {
        using var repository = new TempRepository().WithFleetDefault("statusBackupMaxAgeHours", "50").WithFleetDefault("statusCertificateMinDays", "20");

        StatusThresholds.Read(repository.Open()).Thresholds.ShouldBe(new StatusThresholds(50, 20));
    }

    [Fact]
    public void The_shipped_thresholds_are_the_defaults()
    {
        StatusThresholds.Read(RepositoryRoot.Workspace()).Thresholds.ShouldBe(StatusThresholds.Default);
    }

    [Theory]
    [InlineData("statusBackupMaxAgeHours", "0", "outside 1-8784")]
    [InlineData("statusCertificateMinDays", "soon", "must be a whole number")]
    public void An_invalid_threshold_is_reported_against_Pulumi_yaml(string key, string value, string says)
    {
        using var repository = new TempRepository().WithFleetDefault(key, value);

        var (thresholds, problems) = StatusThresholds.Read(repository.Open());

        thresholds.ShouldBeNull();
        problems.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            p => p.File.ShouldBe("Pulumi.yaml"),
            p => p.Key.ShouldBe($"os2borgerpc:{key}"),
            p => p.Message.ShouldContain(says));
    }
}
