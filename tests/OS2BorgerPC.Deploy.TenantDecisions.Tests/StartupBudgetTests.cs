using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>One budget decides the startup probe and every wait of Pulumi's, so Pulumi never gives up first.</summary>
public sealed class StartupBudgetTests
{
    [Fact]
    public void The_probe_window_is_the_budget_and_pulumi_waits_longer_than_it()
    {
        (StartupBudget.ProbeFailureThreshold * StartupBudget.ProbePeriodSeconds).ShouldBe(StartupBudget.Seconds);
        StartupBudget.DeploymentTimeout.TotalSeconds.ShouldBeGreaterThan(StartupBudget.Seconds);
        // Pulumi's default wait for a Deployment is ten minutes: a long first migration must not end the update.
        StartupBudget.DeploymentTimeout.ShouldBeGreaterThan(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Pulumi_waits_for_the_smoke_check_longer_than_its_deadline_which_outlasts_its_retries()
    {
        StartupBudget.SmokeCheckDeadlineSeconds.ShouldBeGreaterThan(StartupBudget.SmokeCheckSeconds);
        StartupBudget.SmokeCheckTimeout.TotalSeconds.ShouldBeGreaterThan(StartupBudget.SmokeCheckDeadlineSeconds);
    }
}
