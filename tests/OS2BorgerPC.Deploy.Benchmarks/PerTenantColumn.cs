using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace OS2BorgerPC.Deploy.Benchmarks;

/// <summary>
/// The median divided by the <c>Tenants</c> parameter, and that per-tenant time relative to the smallest
/// fleet of the same benchmark: about 1 at every size when the work is linear.
/// </summary>
public sealed class PerTenantColumn(bool relativeToSmallest) : IColumn
{
    public sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new PerTenantColumn(false), new PerTenantColumn(true));
    }

    private const string Parameter = "Tenants";

    public string Id => $"{nameof(PerTenantColumn)}.{relativeToSmallest}";

    public string ColumnName => relativeToSmallest ? "PerTenantVsSmallest" : "MedianPerTenant";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => relativeToSmallest ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => relativeToSmallest
        ? "Per-tenant median relative to the smallest fleet's (1.00 = linear)"
        : "Median divided by the number of tenants";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => c.HasParameters && c.Parameters.Items.Any(p => p.Name == Parameter));

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (PerTenantNanoseconds(summary, benchmarkCase) is not { } perTenant)
        {
            return "-";
        }
        if (!relativeToSmallest)
        {
            return $"{(perTenant / 1000).ToString("N1", CultureInfo.InvariantCulture)} µs";
        }
        var smallest = summary.BenchmarksCases
            .Where(c => c.Descriptor == benchmarkCase.Descriptor)
            .MinBy(TenantsOf);
        return smallest is not null && PerTenantNanoseconds(summary, smallest) is { } basis
            ? (perTenant / basis).ToString("N2", CultureInfo.InvariantCulture)
            : "-";
    }

    private static int TenantsOf(BenchmarkCase benchmarkCase) => (int)benchmarkCase.Parameters[Parameter];

    private static double? PerTenantNanoseconds(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics?.Median / TenantsOf(benchmarkCase);
}
