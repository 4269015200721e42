using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>Rings and the failure threshold: who goes first, and when a rollout stops.</summary>
public sealed class RolloutTests
{
    [Fact]
    public void A_tenant_that_names_no_ring_is_in_the_broad_ring()
    {
        using var repository = new TempRepository().WithStack(StackFile.Stack, StackFile.Kubernetes().Text);

        FleetLoader.LoadStack(repository.Open(), StackFile.Stack).Result.OrThrow().Ring.ShouldBe(RolloutRing.Broad);
    }

    [Theory]
    [InlineData("canary", RolloutRing.Canary)]
    [InlineData("early", RolloutRing.Early)]
    [InlineData("broad", RolloutRing.Broad)]
    public void The_stack_file_names_the_ring(string yaml, RolloutRing ring)
    {
        using var repository = new TempRepository().WithStack(StackFile.Stack, StackFile.Kubernetes().Set("tenant.ring", yaml).Text);

        FleetLoader.LoadStack(repository.Open(), StackFile.Stack).Result.OrThrow().Ring.ShouldBe(ring);
    }

    [Fact]
    public void An_unknown_ring_names_the_file_the_key_and_the_rings()
    {
        using var repository = new TempRepository().WithStack(StackFile.Stack, StackFile.Kubernetes().Set("tenant.ring", "first").Text);

        FleetLoader.LoadStack(repository.Open(), StackFile.Stack).Result.Problems.ShouldHaveSingleItem().ShouldBe(new Problem(
            $"stacks/Pulumi.{StackFile.Stack}.yaml", "os2borgerpc:tenant.ring", "'first' is not a known ring.", "Use one of: canary, early, broad."));
    }

    [Fact]
    public void Waves_go_canary_then_early_then_broad_and_keep_the_fleet_order_within_a_ring()
    {
        using var repository = new TempRepository();
        foreach (var (slug, ring) in new[] { ("alpha", "broad"), ("beta", "early"), ("gamma", "canary"), ("delta", "broad"), ("epsilon", "early") })
        {
            repository.WithStack(slug, StackFile.Kubernetes(slug).Set("tenant.ring", ring).Set("tenant.host", $"{slug}.borgerpc.test").Text);
        }
        var tenants = FleetLoader.Load(repository.Open()).Members.Select(m => m.Tenant);

        RolloutPlan.Waves(tenants).Select(w => $"{RolloutPlan.Name(w.Ring)}: {string.Join(",", w.Tenants)}")
            .ShouldBe(["canary: gamma", "early: beta,epsilon", "broad: alpha,delta"]);
    }

    [Fact]
    public void An_unknown_ring_on_the_command_line_says_which_exist()
    {
        RolloutPlan.Parse("early").Ring.ShouldBe(RolloutRing.Early);
        var problem = RolloutPlan.Parse("Early").Problem.ShouldNotBeNull();

        problem.Key.ShouldBe("--ring");
        problem.Fix.ShouldStartWith("Use one of: canary, early, broad");
    }

    [Theory]
    // failed, tenants, percent: crossed?
    [InlineData(0, 10, 0, false)]
    [InlineData(1, 10, 0, true)] // 0%: the first failure stops the rollout
    [InlineData(1, 10, 10, false)] // exactly the share allowed
    [InlineData(2, 10, 10, true)]
    [InlineData(1, 1, 10, true)] // a one-tenant canary that fails
    [InlineData(1, 2, 50, false)]
    [InlineData(10, 10, 100, false)] // 100%: nothing stops it
    [InlineData(9, 98, 10, false)]
    [InlineData(10, 98, 10, true)]
    public void The_threshold_is_crossed_when_more_than_its_share_of_the_ring_failed(int failed, int tenants, int percent, bool crossed) =>
        new RolloutThreshold(percent).IsCrossed(failed, tenants).ShouldBe(crossed);

    [Fact]
    public void The_threshold_comes_from_the_option_else_Pulumi_yaml_else_stops_at_the_first_failure()
    {
        using var repository = new TempRepository().WithFleetDefault("rolloutMaxFailuresPercent", "25");

        RolloutThreshold.Read(repository.Open(), 5).Threshold.ShouldBe(new RolloutThreshold(5));
        RolloutThreshold.Read(repository.Open(), null).Threshold.ShouldBe(new RolloutThreshold(25));
        RolloutThreshold.Read(RepositoryRoot.Workspace(), null).Threshold.ShouldBe(new RolloutThreshold(10));
        RolloutThreshold.Default.MaxFailuresPercent.ShouldBe(0);
    }

    [Theory]
    [InlineData("101", "is 101, outside 0-100.")]
    [InlineData("-1", "is -1, outside 0-100.")]
    [InlineData("ten", "must be a whole number")]
    public void A_threshold_outside_0_to_100_in_Pulumi_yaml_is_refused_there(string value, string says)
    {
        using var repository = new TempRepository().WithFleetDefault("rolloutMaxFailuresPercent", value);

        var (threshold, problems) = RolloutThreshold.Read(repository.Open(), null);

        threshold.ShouldBeNull();
        problems.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            p => p.File.ShouldBe("Pulumi.yaml"),
            p => p.Key.ShouldBe("os2borgerpc:rolloutMaxFailuresPercent"),
            p => p.Message.ShouldContain(says),
            p => p.Fix.ShouldBe("Write a number from 0 to 100."));
    }

    [Theory]
    [InlineData(101)]
    [InlineData(-5)]
    public void A_threshold_option_outside_0_to_100_is_refused(int percent)
    {
        var problem = RolloutThreshold.Read(RepositoryRoot.Workspace(), percent).Problems.ShouldHaveSingleItem();

        problem.Key.ShouldBe("--max-failures");
        problem.Message.ShouldBe($"is {percent}, outside 0-100.");
        problem.Fix.ShouldContain("from 0 (the first failure stops it) to 100");
    }

    [Fact]
    public void A_ring_verdict_names_each_failed_tenant_and_why_and_whether_the_rollout_stops()
    {
        RolloutResult[] results = [new("aarhus", true, false), new("odense", true, true, "failed to load kubeconfig"), new("vejle", false, false)];

        var stopped = new RingVerdict(RolloutRing.Early, new RolloutThreshold(10), results);
        stopped.ThresholdCrossed.ShouldBeTrue();
        stopped.Succeeded.ShouldBeFalse();
        stopped.Summary.ShouldBe("ring early: 1 of 3 tenant(s) failed (odense: failed to load kubeconfig): more than the 10% allowed, " +
            "so no further tenant of the ring started (1 not started) and no later ring runs.");

        var within = new RingVerdict(RolloutRing.Broad, new RolloutThreshold(50), results[..2]);
        within.ThresholdCrossed.ShouldBeFalse();
        within.Succeeded.ShouldBeFalse();
        within.Summary.ShouldBe("ring broad: 1 of 2 tenant(s) failed (odense: failed to load kubeconfig); within the threshold of 50% the ring's other tenants ran, " +
            "but no later ring runs until every tenant of this one succeeds.");

        var green = new RingVerdict(RolloutRing.Canary, new RolloutThreshold(0), results[..1]);
        green.Succeeded.ShouldBeTrue();
        green.Summary.ShouldBe("ring canary: all 1 tenant(s) succeeded.");
    }
}
