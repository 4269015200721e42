using OS2BorgerPC.Deploy.Cli.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.Cli.Tests.Fleet;

/// <summary>The scheduling core: bounded concurrency, every tenant runs, stable order, failures and Ctrl+C contained.</summary>
public sealed class FleetRunnerTests
{
    private static readonly string[] Tenants = ["t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09", "t10"];

    private readonly RecordingProgress _progress = new();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Never_more_than_the_limit_run_at_once(int limit)
    {
        var runner = new GatedStackRunner();
        var run = Runner(runner, limit).RunAsync(Tenants, FleetOperation.Preview, CancellationToken.None);
        var entered = new List<string>();
        for (var i = 0; i < limit; i++)
        {
            entered.Add(await runner.NextEnteredAsync());
        }
        for (var i = limit; i < Tenants.Length; i++)
        {
            // Every slot is taken: no further run may begin until one ends.
            await Task.Delay(20);
            runner.AnyEntered.ShouldBeFalse();
            runner.InFlight.ShouldBe(limit);
            runner.Open(1);
            entered.Add(await runner.NextEnteredAsync());
        }
        runner.Open(limit);
        var outcomes = await run;

        runner.MaxInFlight.ShouldBe(limit);
        entered.ShouldBe(Tenants, ignoreOrder: true);
        outcomes.ShouldAllBe(o => o.Outcome.Result == StackResult.Succeeded);
    }

    [Fact]
    public async Task Tenants_start_in_the_given_order_and_outcomes_keep_it_however_they_finish()
    {
        // Later tenants finish first: t10 at once, t01 last.
        var runner = new DelayedStackRunner(tenant => TimeSpan.FromMilliseconds(10 * (Tenants.Length - Array.IndexOf(Tenants, tenant))));

        var outcomes = await Runner(runner, Tenants.Length).RunAsync(Tenants, FleetOperation.Up, CancellationToken.None);

        outcomes.Select(o => o.Tenant).ShouldBe(Tenants);
        _progress.Events.Where(e => e.EndsWith(": started")).ShouldBe(Tenants.Select(t => $"{t}: started"));
        runner.Operations.ShouldAllBe(op => op == FleetOperation.Up);
    }

    [Fact]
    public async Task A_tenant_that_fails_or_throws_does_not_stop_the_others()
    {
        var runner = new FakeStackRunner((tenant, _) => tenant switch
        {
            "t02" => StackOutcome.Failed("update failed"),
            "t05" => throw new InvalidOperationException("the backend is unreachable\n   at Somewhere()"),
            _ => StackOutcome.Succeeded(1),
        });

        var outcomes = await Runner(runner, 2).RunAsync(Tenants, FleetOperation.Preview, CancellationToken.None);

        runner.Runs.Select(r => r.Tenant).ShouldBe(Tenants, ignoreOrder: true);
        outcomes.Single(o => o.Tenant == "t02").Outcome.ShouldBe(StackOutcome.Failed("update failed"));
        outcomes.Single(o => o.Tenant == "t05").Outcome.ShouldBe(StackOutcome.Failed("the backend is unreachable"));
        outcomes.Where(o => o.Tenant is not ("t02" or "t05")).ShouldAllBe(o => o.Outcome == StackOutcome.Succeeded(1));
    }

    [Fact]
    public async Task Once_stopped_no_further_tenant_starts_and_the_running_one_ends()
    {
        using var stop = new CancellationTokenSource();
        var runner = new FakeStackRunner((tenant, _) =>
        {
            // Ctrl+C while the first tenant runs.
            stop.Cancel();
            return StackOutcome.Succeeded(2);
        });

        var outcomes = await Runner(runner, 1).RunAsync(Tenants[..3], FleetOperation.Up, stop.Token);

        runner.Runs.Select(r => r.Tenant).ShouldBe(["t01"]);
        outcomes.Select(o => (o.Tenant, o.Outcome.Result)).ShouldBe(
            [("t01", StackResult.Succeeded), ("t02", StackResult.NotStarted), ("t03", StackResult.NotStarted)]);
        outcomes[1].Duration.ShouldBeNull();
        _progress.Events.ShouldBe(["t01: started", "t01: Succeeded", "t02: NotStarted", "t03: NotStarted"]);
    }

    [Fact]
    public async Task Once_the_failures_cross_the_threshold_no_further_tenant_starts()
    {
        // One at a time: t02 fails (1 of 10, within 10%), t04 fails (2 of 10, more than 10%): t05 and later never start.
        var runner = new FakeStackRunner((tenant, _) => tenant is "t02" or "t04" ? StackOutcome.Failed($"{tenant} broke") : StackOutcome.Succeeded(1));

        var outcomes = await Runner(runner, 1).RunAsync(Tenants, FleetOperation.Up, CancellationToken.None, new RolloutThreshold(10));

        runner.Runs.Select(r => r.Tenant).ShouldBe(["t01", "t02", "t03", "t04"]);
        outcomes.Skip(4).ShouldAllBe(o => o.Outcome.Result == StackResult.NotStarted);
        outcomes.Count.ShouldBe(Tenants.Length);
    }

    [Fact]
    public async Task Without_a_threshold_every_tenant_runs_whatever_fails()
    {
        var runner = new FakeStackRunner((_, _) => StackOutcome.Failed("broke"));

        await Runner(runner, 1).RunAsync(Tenants, FleetOperation.Preview, CancellationToken.None);

        runner.Runs.Count.ShouldBe(Tenants.Length);
    }

    [Fact]
    public async Task A_ring_that_crosses_the_threshold_stops_the_rollout_and_its_failures_are_reported()
    {
        var runner = new FakeStackRunner((tenant, _) => tenant == "e2" ? StackOutcome.Failed("failed to load kubeconfig") : StackOutcome.Succeeded(1));
        RolloutWave[] waves = [new(RolloutRing.Canary, ["c1"]), new(RolloutRing.Early, ["e1", "e2", "e3"]), new(RolloutRing.Broad, ["b1", "b2"])];

        var (outcomes, verdicts) = await Runner(runner, 1).RolloutAsync(waves, FleetOperation.Up, new RolloutThreshold(0), CancellationToken.None);

        runner.Runs.Select(r => r.Tenant).ShouldBe(["c1", "e1", "e2"]);
        outcomes.Select(o => (o.Tenant, o.Outcome.Result)).ShouldBe([
            ("c1", StackResult.Succeeded), ("e1", StackResult.Succeeded), ("e2", StackResult.Failed), ("e3", StackResult.NotStarted),
            ("b1", StackResult.NotStarted), ("b2", StackResult.NotStarted)]);
        verdicts.Select(v => v.Ring).ShouldBe([RolloutRing.Canary, RolloutRing.Early]);
        verdicts[1].ThresholdCrossed.ShouldBeTrue();
        verdicts[1].Failures.ShouldHaveSingleItem().ShouldBe(new RolloutResult("e2", true, true, "failed to load kubeconfig"));
    }

    [Fact]
    public async Task Failures_within_the_threshold_let_the_ring_finish_but_no_later_ring_start()
    {
        var runner = new FakeStackRunner((tenant, _) => tenant == "e2" ? StackOutcome.Failed("broke") : StackOutcome.Succeeded(1));
        RolloutWave[] waves = [new(RolloutRing.Canary, ["c1"]), new(RolloutRing.Early, ["e1", "e2", "e3"]), new(RolloutRing.Broad, ["b1"])];

        var (outcomes, verdicts) = await Runner(runner, 2).RolloutAsync(waves, FleetOperation.Up, new RolloutThreshold(50), CancellationToken.None);

        runner.Runs.Select(r => r.Tenant).ShouldBe(["c1", "e1", "e2", "e3"], ignoreOrder: true);
        outcomes.Single(o => o.Tenant == "b1").Outcome.Result.ShouldBe(StackResult.NotStarted);
        verdicts.Select(v => (v.Succeeded, v.ThresholdCrossed)).ShouldBe([(true, false), (false, false)]);
    }

    [Fact]
    public async Task A_runner_cancelled_before_its_operation_began_reports_not_started()
    {
        using var stop = new CancellationTokenSource();
        var runner = new FakeStackRunner((_, _) =>
        {
            stop.Cancel();
            throw new OperationCanceledException(stop.Token);
        });

        var outcome = (await Runner(runner, 1).RunAsync(["t01"], FleetOperation.Up, stop.Token)).ShouldHaveSingleItem();

        outcome.Outcome.Result.ShouldBe(StackResult.NotStarted);
    }

    [Fact]
    public async Task The_duration_is_the_time_from_start_to_end()
    {
        var time = new ManualTime();
        var runner = new FakeStackRunner((tenant, _) =>
        {
            time.Advance(TimeSpan.FromSeconds(tenant == "t01" ? 12.3 : 0.5));
            return StackOutcome.Succeeded(3);
        });

        var outcomes = await new FleetRunner(runner, 1, _progress, time).RunAsync(Tenants[..2], FleetOperation.Preview, CancellationToken.None);

        outcomes.Select(o => o.Duration).ShouldBe([TimeSpan.FromSeconds(12.3), TimeSpan.FromSeconds(0.5)]);
    }

    [Fact]
    public void The_limit_is_at_least_one() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Runner(new FakeStackRunner(), 0));

    private FleetRunner Runner(IStackRunner runner, int parallel) => new(runner, parallel, _progress, TimeProvider.System);

    /// <summary>Each run takes the time the test gives its tenant.</summary>
    private sealed class DelayedStackRunner(Func<string, TimeSpan> duration) : IStackRunner
    {
        public System.Collections.Concurrent.ConcurrentQueue<FleetOperation> Operations { get; } = new();

        public async Task<StackOutcome> RunAsync(string tenant, FleetOperation operation, CancellationToken cancellationToken)
        {
            Operations.Enqueue(operation);
            await Task.Delay(duration(tenant), CancellationToken.None);
            return StackOutcome.Succeeded(0);
        }
    }
}
