using OS2BorgerPC.Deploy.TenantDecisions.Fleet;

namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>A rollout's outcomes, every tenant's in the order of the waves, and each ring's verdict (those that ran).</summary>
public sealed record RolloutOutcome(IReadOnlyList<TenantOutcome> Outcomes, IReadOnlyList<RingVerdict> Verdicts);

/// <summary>
/// Runs one operation on many tenants, at most <c>parallel</c> at a time; a tenant that fails or throws never
/// stops the others. Knows nothing of Pulumi: an <see cref="IStackRunner"/> runs the stacks.
/// </summary>
public sealed class FleetRunner
{
    private readonly IStackRunner _runner;
    private readonly int _parallel;
    private readonly IFleetProgress _progress;
    private readonly TimeProvider _time;

    public FleetRunner(IStackRunner runner, int parallel, IFleetProgress progress, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        _runner = runner;
        _parallel = parallel;
        _progress = progress;
        _time = time;
    }

    /// <summary>
    /// The waves one after the other (<see cref="RolloutPlan"/>), each under <paramref name="threshold"/>: once a ring's
    /// failures cross it, no further tenant of the ring starts; a ring that did not wholly succeed lets no later ring
    /// run (their tenants are "not started").
    /// </summary>
    public async Task<RolloutOutcome> RolloutAsync(IReadOnlyList<RolloutWave> waves, FleetOperation operation, RolloutThreshold threshold, CancellationToken stopStarting)
    {
        var outcomes = new List<TenantOutcome>();
        var verdicts = new List<RingVerdict>();
        foreach (var wave in waves)
        {
            if (verdicts.LastOrDefault() is { Succeeded: false })
            {
                outcomes.AddRange(wave.Tenants.Select(NotStarted));
                continue;
            }
            var ring = await RunAsync(wave.Tenants, operation, stopStarting, threshold);
            outcomes.AddRange(ring);
            verdicts.Add(new RingVerdict(wave.Ring, threshold,
                [.. ring.Select(o => new RolloutResult(o.Tenant, o.Outcome.Result != StackResult.NotStarted, o.Outcome.Result == StackResult.Failed, o.Outcome.Detail))]));
        }
        return new RolloutOutcome(outcomes, verdicts);
    }

    /// <summary>
    /// Starts the tenants in the given order and returns their outcomes in that order. Once
    /// <paramref name="stopStarting"/> is cancelled, or the failures so far cross <paramref name="threshold"/> (of these
    /// tenants), no further tenant starts (those are "not started"); the running ones go on to their end.
    /// </summary>
    public async Task<IReadOnlyList<TenantOutcome>> RunAsync(IReadOnlyList<string> tenants, FleetOperation operation, CancellationToken stopStarting,
        RolloutThreshold? threshold = null)
    {
        using var crossed = CancellationTokenSource.CreateLinkedTokenSource(stopStarting);
        var failed = 0;
        void Count(TenantOutcome outcome)
        {
            if (outcome.Outcome.Result == StackResult.Failed && threshold is not null
                && threshold.IsCrossed(Interlocked.Increment(ref failed), tenants.Count))
            {
                crossed.Cancel();
            }
        }
        using var slots = new SemaphoreSlim(_parallel);
        var runs = new List<Task<TenantOutcome>>();
        foreach (var tenant in tenants)
        {
            if (!await TakeSlotAsync(slots, crossed.Token))
            {
                break;
            }
            runs.Add(RunOneAsync(tenant, operation, slots, crossed.Token, Count));
        }
        var outcomes = (await Task.WhenAll(runs)).ToList();
        outcomes.AddRange(tenants.Skip(runs.Count).Select(NotStarted));
        return outcomes;
    }

    private TenantOutcome NotStarted(string tenant)
    {
        var notStarted = new TenantOutcome(tenant, StackOutcome.NotStarted, null);
        _progress.Finished(notStarted);
        return notStarted;
    }

    private static async Task<bool> TakeSlotAsync(SemaphoreSlim slots, CancellationToken stopStarting)
    {
        try
        {
            await slots.WaitAsync(stopStarting);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        if (stopStarting.IsCancellationRequested)
        {
            slots.Release();
            return false;
        }
        return true;
    }

    private async Task<TenantOutcome> RunOneAsync(string tenant, FleetOperation operation, SemaphoreSlim slots, CancellationToken stopStarting,
        Action<TenantOutcome> finished)
    {
        var started = _time.GetTimestamp();
        _progress.Started(tenant);
        var outcome = await OutcomeAsync(tenant, operation, stopStarting);
        // Measured before the slot is freed: the next tenant's start is not this one's time.
        var duration = _time.GetElapsedTime(started);
        var result = new TenantOutcome(tenant, outcome, outcome.Result == StackResult.NotStarted ? null : duration);
        // Counted before the slot is freed: a failure that crosses the threshold stops the next start.
        finished(result);
        slots.Release();
        _progress.Finished(result);
        return result;
    }

    private async Task<StackOutcome> OutcomeAsync(string tenant, FleetOperation operation, CancellationToken stopStarting)
    {
        try
        {
            // On the thread pool: a runner that blocks before its first await must not hold up the next start.
            return await Task.Run(() => _runner.RunAsync(tenant, operation, stopStarting), CancellationToken.None);
        }
        catch (OperationCanceledException) when (stopStarting.IsCancellationRequested)
        {
            return StackOutcome.NotStarted;
        }
        catch (Exception e)
        {
            return StackOutcome.Failed(FleetText.FirstLine(e.Message));
        }
    }
}
