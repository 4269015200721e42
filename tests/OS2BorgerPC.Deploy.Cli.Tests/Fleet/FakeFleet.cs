using System.Collections.Concurrent;
using OS2BorgerPC.Deploy.Cli.Fleet;

namespace OS2BorgerPC.Deploy.Cli.Tests.Fleet;

/// <summary>A fleet host for CLI tests: a pulumi that is (or is not) installed, and the given runner.</summary>
internal sealed class FakeFleet(IStackRunner runner)
{
    public bool PulumiInstalled { get; init; } = true;

    public ManualTime Time { get; } = new();

    public ConcurrentQueue<FleetRunSettings> Created { get; } = new();

    public FleetHost Host => new(
        name => PulumiInstalled && name == "pulumi" ? "/opt/pulumi/bin/pulumi" : null,
        settings =>
        {
            Created.Enqueue(settings);
            return runner;
        },
        Time);
}
