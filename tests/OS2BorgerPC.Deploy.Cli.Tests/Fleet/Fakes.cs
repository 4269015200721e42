using System.Collections.Concurrent;
using System.Threading.Channels;
using OS2BorgerPC.Deploy.Cli.Fleet;

namespace OS2BorgerPC.Deploy.Cli.Tests.Fleet;

/// <summary>A stack runner that answers at once with the outcome a test chooses, and records every call.</summary>
internal sealed class FakeStackRunner(Func<string, FleetOperation, StackOutcome>? outcome = null) : IStackRunner
{
    public ConcurrentQueue<(string Tenant, FleetOperation Operation)> Runs { get; } = new();

    /// <summary>What <see cref="PrepareAsync"/> says keeps every tenant from running; null: nothing.</summary>
    public string? Unusable { get; init; }

    public Task<string?> PrepareAsync() => Task.FromResult(Unusable);

    public Task<StackOutcome> RunAsync(string tenant, FleetOperation operation, CancellationToken cancellationToken)
    {
        Runs.Enqueue((tenant, operation));
        return Task.FromResult(outcome?.Invoke(tenant, operation) ?? StackOutcome.Succeeded(0));
    }
}

/// <summary>A stack runner whose runs wait at a gate the test opens; it counts the runs in flight.</summary>
internal sealed class GatedStackRunner : IStackRunner
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _gate = new(0);
    private readonly Channel<string> _entered = Channel.CreateUnbounded<string>();
    private int _inFlight;
    private int _maxInFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async Task<StackOutcome> RunAsync(string tenant, FleetOperation operation, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var max = MaxInFlight; now > max; max = MaxInFlight)
        {
            Interlocked.CompareExchange(ref _maxInFlight, now, max);
        }
        _entered.Writer.TryWrite(tenant);
        await _gate.WaitAsync(CancellationToken.None);
        Interlocked.Decrement(ref _inFlight);
        return StackOutcome.Succeeded(0);
    }

    /// <summary>The next tenant whose run has begun.</summary>
    public Task<string> NextEnteredAsync() => _entered.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public bool AnyEntered => _entered.Reader.TryPeek(out _);

    /// <summary>Lets <paramref name="runs"/> waiting (or future) runs end.</summary>
    public void Open(int runs) => _gate.Release(runs);
}

/// <summary>Records what a fleet run reports, in the order it was reported.</summary>
internal sealed class RecordingProgress : IFleetProgress
{
    public ConcurrentQueue<string> Events { get; } = new();

    public void Started(string tenant) => Events.Enqueue($"{tenant}: started");

    public void Finished(TenantOutcome outcome) => Events.Enqueue($"{outcome.Tenant}: {outcome.Outcome.Result}");
}

/// <summary>A clock that moves only when a test moves it.</summary>
internal sealed class ManualTime : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
