using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using OS2BorgerPC.Deploy.PlatformProgram;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.Testing;
using Pulumi;

namespace OS2BorgerPC.Deploy.Benchmarks;

/// <summary>
/// The platform program of each flavour under Pulumi.Testing mocks (the shipped stacks: prod is azure, demo is
/// cluster), against a baseline that registers as many trivial resources through the same SDK.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 9)]
public class PlatformProgram
{
    [Params("prod", "demo")]
    public string Platform { get; set; } = "prod";

    private EngineConfig _platform = null!;
    private EngineConfig _trivial = null!;

    /// <summary>How many resources the platform program registers (components and providers included, the stack not).</summary>
    public static async Task<int> ResourcesOf(string platform)
    {
        var mocks = new PlatformMocks();
        await MockedDeployment.RunAsync<PlatformStack>(Config(platform), mocks, PlatformWorkspace.Namespace);
        return mocks.Registrations.Count;
    }

    [GlobalSetup]
    public async Task ResolveConfig()
    {
        _platform = Config(Platform);
        _trivial = TrivialResourcesStack.Config(await ResourcesOf(Platform));
    }

    [Benchmark(Baseline = true)]
    public Task<ImmutableArray<Resource>> TrivialResources() =>
        MockedDeployment.RunAsync<TrivialResourcesStack>(_trivial, new TenantMocks());

    [Benchmark]
    public Task<ImmutableArray<Resource>> PlatformStackProgram() =>
        MockedDeployment.RunAsync<PlatformStack>(_platform, new PlatformMocks(), PlatformWorkspace.Namespace);

    private static EngineConfig Config(string platform)
    {
        var (config, problem) = PlatformWorkspace.Open(RepositoryRoot.FullPath).ReadStack(platform);
        return EngineConfig.From(config ?? throw new InvalidOperationException(problem!.ToString()));
    }
}
