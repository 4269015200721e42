using BenchmarkDotNet.Attributes;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Benchmarks;

/// <summary>
/// What <c>tenant check</c> does for a whole fleet: read every stack file, resolve it against Pulumi.yaml's
/// defaults and validate it, then check the rules across tenants. Must stay linear in the number of tenants.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
[Config(typeof(PerTenantColumn.Config))]
public class FleetLoading
{
    /// <summary>A handful, every municipality, and a supplier's fleet with many shared IT bodies.</summary>
    [Params(10, 98, 500)]
    public int Tenants { get; set; }

    private TempRepository _repository = null!;
    private ProjectWorkspace _workspace = null!;

    [GlobalSetup]
    public void WriteFleet()
    {
        _repository = new TempRepository();
        foreach (var tenant in GeneratedFleet().Take(Tenants))
        {
            _repository.WithStack(tenant.Slug, tenant.RenderStackFile());
        }
        // Pulumi.yaml is read once whatever the fleet's size; what grows with it is measured.
        _workspace = _repository.Open();
        // Measure the valid fleet, not a fleet stopping early on a problem.
        var report = Load();
        if (!report.IsValid || report.Members.Count() != Tenants)
        {
            throw new InvalidOperationException($"The generated fleet of {Tenants} is not valid: {string.Join("; ", report.Problems)}");
        }
    }

    [Benchmark]
    public FleetReport Load() => FleetLoader.Load(_workspace);

    [GlobalCleanup]
    public void DeleteFleet() => _repository.Dispose();

    /// <summary>Every municipality's own tenant as `tenant new` writes it, then as many shared IT bodies (no municipality codes) as asked for.</summary>
    public static IEnumerable<NewTenant> GeneratedFleet() =>
        MunicipalityRegister.All.OrderBy(m => m.Code).Select(NewTenant.For)
            .Concat(Enumerable.Range(1, int.MaxValue - 1).Select(i => new NewTenant
            {
                Slug = $"it-faellesskab-{i}",
                DisplayName = $"IT-fællesskab {i}",
            }));
}
