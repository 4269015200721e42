using System.Collections.Concurrent;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.Benchmarks;

/// <summary>A figure of <see cref="ProgramShape"/> next to each <see cref="TenantProgram"/> benchmark.</summary>
public sealed class ProgramShapeColumn(string columnName, Func<ProgramShape, int> figure, string legend) : IColumn
{
    public sealed class Config : ManualConfig
    {
        public Config() => AddColumn(
            new ProgramShapeColumn("Resources", s => s.Resources, "Resources the program registers (the stack not counted); the baseline registers as many"),
            new ProgramShapeColumn("InputValues", s => s.InputValues, "Scalars, lists and maps in those resources' inputs"));
    }

    // The benchmarks ran in processes of their own: run each hosting's programs here once more.
    private static readonly ConcurrentDictionary<Hosting, TenantProgram.Shapes> ShapesByHosting = new();

    public string Id => $"{nameof(ProgramShapeColumn)}.{columnName}";

    public string ColumnName => columnName;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var hosting = (Hosting)benchmarkCase.Parameters[nameof(TenantProgram.Hosting)];
        var shapes = ShapesByHosting.GetOrAdd(hosting, h => TenantProgram.ShapesOf(h).GetAwaiter().GetResult());
        var shape = benchmarkCase.Descriptor.WorkloadMethod.Name switch
        {
            nameof(TenantProgram.TrivialResources) => shapes.Trivial,
            nameof(TenantProgram.InputMatchedResources) => shapes.InputMatched,
            _ => shapes.Tenant,
        };
        return figure(shape).ToString();
    }
}
