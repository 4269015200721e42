using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using OS2BorgerPC.Deploy.TenantProgram;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.Testing;
using Pulumi;

namespace OS2BorgerPC.Deploy.Benchmarks;

/// <summary>
/// One tenant's Pulumi program under Pulumi.Testing mocks, against a baseline that registers as many
/// trivial resources through the same SDK and the same mocks: the ratio is what one tenant costs beyond
/// Pulumi's fixed per-resource work.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 11)]
[Config(typeof(ProgramShapeColumn.Config))]
public class TenantProgram
{
    public sealed record Shapes(ProgramShape Tenant, ProgramShape Trivial, ProgramShape InputMatched);

    [ParamsAllValues]
    public Hosting Hosting { get; set; }

    private EngineConfig _tenant = null!;
    private EngineConfig _trivial = null!;
    private EngineConfig _inputMatched = null!;

    /// <summary>The tenant's program once, then the baseline with as many resources.</summary>
    public static async Task<Shapes> ShapesOf(Hosting hosting)
    {
        var tenantMocks = new TenantMocks();
        await MockedDeployment.RunAsync<TenantStack>(TenantConfig(hosting), tenantMocks);
        var tenant = ProgramShape.Of(tenantMocks);
        var trivialMocks = new TenantMocks();
        await MockedDeployment.RunAsync<TrivialResourcesStack>(TrivialResourcesStack.Config(tenant.Resources), trivialMocks);
        var trivial = ProgramShape.Of(trivialMocks);
        var matchedMocks = new TenantMocks();
        await MockedDeployment.RunAsync<TrivialResourcesStack>(InputMatched(tenant, trivial), matchedMocks);
        return new Shapes(tenant, trivial, ProgramShape.Of(matchedMocks));
    }

    /// <summary>The baseline with keepers added until it carries about as many input values as the tenant's program.</summary>
    private static EngineConfig InputMatched(ProgramShape tenant, ProgramShape trivial) =>
        TrivialResourcesStack.Config(tenant.Resources, Math.Max(0, (tenant.InputValues - trivial.InputValues) / tenant.Resources));

    [GlobalSetup]
    public async Task ResolveConfig()
    {
        var shapes = await ShapesOf(Hosting);
        if (shapes.Trivial.Resources != shapes.Tenant.Resources)
        {
            throw new InvalidOperationException($"The baseline registered {shapes.Trivial.Resources} resources, the tenant's program {shapes.Tenant.Resources}.");
        }
        _tenant = TenantConfig(Hosting);
        _trivial = TrivialResourcesStack.Config(shapes.Tenant.Resources);
        _inputMatched = InputMatched(shapes.Tenant, shapes.Trivial);
    }

    [Benchmark(Baseline = true)]
    public Task<ImmutableArray<Resource>> TrivialResources() =>
        MockedDeployment.RunAsync<TrivialResourcesStack>(_trivial, new TenantMocks());

    /// <summary>The same resources carrying as many input values: what the SDK itself costs for a program this size.</summary>
    [Benchmark]
    public Task<ImmutableArray<Resource>> InputMatchedResources() =>
        MockedDeployment.RunAsync<TrivialResourcesStack>(_inputMatched, new TenantMocks());

    [Benchmark]
    public Task<ImmutableArray<Resource>> TenantStackProgram() =>
        MockedDeployment.RunAsync<TenantStack>(_tenant, new TenantMocks());

    /// <summary>The shipped stack of each hosting: kubernetes the demo, azure Aarhus.</summary>
    private static EngineConfig TenantConfig(Hosting hosting)
    {
        var stack = hosting == Hosting.Kubernetes ? "demo" : "aarhus";
        return EngineConfig.FromStackFile(stack, RepositoryRoot.StackText(stack));
    }
}
