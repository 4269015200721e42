using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using OS2BorgerPC.Deploy.Benchmarks;

// Every benchmark unless arguments say otherwise (e.g. --filter '*FleetLoading*'); medians next to means
// because this 2-core machine is noisy. Exits non-zero when a benchmark failed.
var config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(FleetLoading).Assembly)
    .Run(args.Length == 0 ? ["--filter", "*"] : args, config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
