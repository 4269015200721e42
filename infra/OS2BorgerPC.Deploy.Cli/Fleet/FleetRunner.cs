namespace OS2BorgerPC.Deploy.Cli.Fleet;

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
    /// Starts the tenants in the given order and returns their outcomes in that order. Once
    /// <paramref name="stopStarting"/> is cancelled no further tenant starts (those are "not started");
    /// the running ones go on to their end.
    /// </summary>
    public async Task<IReadOnlyList<TenantOutcome>> RunAsync(IReadOnlyList<string> tenants, FleetOperation operation, CancellationToken stopStarting)
    {
        using var slots = new SemaphoreSlim(_parallel);
        var runs = new List<Task<TenantOutcome>>();
        foreach (var tenant in tenants)
        {
            if (!await TakeSlotAsync(slots, stopStarting))
            {
                break;
            }
            runs.Add(RunOneAsync(tenant, operation, slots, stopStarting));
        }
        var outcomes = (await Task.WhenAll(runs)).ToList();
        foreach (var tenant in tenants.Skip(runs.Count))
        {
            var notStarted = new TenantOutcome(tenant, StackOutcome.NotStarted, null);
            _progress.Finished(notStarted);
            outcomes.Add(notStarted);
        }
        return outcomes;
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

    private async Task<TenantOutcome> RunOneAsync(string tenant, FleetOperation operation, SemaphoreSlim slots, CancellationToken stopStarting)
    {
        var started = _time.GetTimestamp();
        _progress.Started(tenant);
        var outcome = await OutcomeAsync(tenant, operation, stopStarting);
        // Measured before the slot is freed: the next tenant's start is not this one's time.
        var duration = _time.GetElapsedTime(started);
        slots.Release();
        var result = new TenantOutcome(tenant, outcome, outcome.Result == StackResult.NotStarted ? null : duration);
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
