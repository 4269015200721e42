using System.Collections.Concurrent;
using OS2BorgerPC.Deploy.Cli.Fleet;

namespace OS2BorgerPC.Deploy.Cli.Tests.Fleet;

/// <summary>A fleet host for CLI tests: a pulumi that is (or is not) installed, a build that succeeds (or fails), and the given runner.</summary>
internal sealed class FakeFleet(IStackRunner runner, FakeBuild? build = null)
{
    public bool PulumiInstalled { get; init; } = true;

    public FakeBuild Build { get; } = build ?? new();

    public ManualTime Time { get; } = new();

    public ConcurrentQueue<FleetRunSettings> Created { get; } = new();

    public FleetHost Host => new(
        name => PulumiInstalled && name == "pulumi" ? "/opt/pulumi/bin/pulumi" : null,
        Build,
        settings =>
        {
            Created.Enqueue(settings);
            return runner;
        },
        Time);
}

/// <summary>A build that records what it was asked to publish and answers with <see cref="Failure"/>, or an assembly in the output folder.</summary>
internal sealed class FakeBuild : IProgramBuild
{
    public string? Failure { get; init; }

    public ConcurrentQueue<(string Program, string Output)> Publishes { get; } = new();

    public ProgramBuildResult Publish(string programFolder, string outputFolder)
    {
        Publishes.Enqueue((programFolder, outputFolder));
        return Failure is null ? ProgramBuildResult.Built(Path.Combine(outputFolder, "OS2BorgerPC.Deploy.TenantProgram.dll")) : ProgramBuildResult.Failed(Failure);
    }
}
