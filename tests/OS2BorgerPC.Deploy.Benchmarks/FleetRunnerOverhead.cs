using System.Diagnostics;
using System.Runtime.Versioning;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Benchmarks;

/// <summary>
/// <c>fleet preview --parallel 8</c> over the 98 municipalities, as a whole CLI process, with a fake Pulumi CLI whose
/// operation takes <see cref="StackSeconds"/> and a fake <c>dotnet publish</c> taking <see cref="BuildSeconds"/>: what
/// the runner adds to the ideal, ceil(98 / 8) operations one after the other plus the single build
/// (<see cref="IdealSeconds"/>). Target: within 1.15x of it.
/// </summary>
[UnsupportedOSPlatform("windows")] // the fakes are shell scripts
[Config(typeof(ThreeRunsInProcess))]
public class FleetRunnerOverhead
{
    /// <summary>
    /// Three runs, no warm-up: each is a whole CLI process, so this process only waits for it and needs no build of
    /// its own (in process), given longer than the in-process toolchain's default 5 minutes.
    /// </summary>
    private sealed class ThreeRunsInProcess : ManualConfig
    {
        public ThreeRunsInProcess() => AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(3)
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(10), logOutput: true)));
    }

    public const int Parallel = 8;
    public const double StackSeconds = 1, BuildSeconds = 1;

    /// <summary>
    /// The version the fake Pulumi CLI reports, which picks how the Automation API takes the engine events: 3.150.0 a log
    /// file it polls, 3.210.0 (above 3.205, every current CLI) a gRPC server per operation (the fake sends with curl).
    /// </summary>
    [Params("3.150.0", "3.210.0")]
    public string PulumiVersion { get; set; } = "3.150.0";

    private TempRepository _repository = null!;
    private string _fake = null!;

    public static int Tenants => MunicipalityRegister.All.Count;

    public static double IdealSeconds => Math.Ceiling(Tenants / (double)Parallel) * StackSeconds + BuildSeconds;

    [GlobalSetup]
    public void WriteFleetAndFakes()
    {
        _repository = new TempRepository().WithPulumiVersion(PulumiVersion);
        foreach (var tenant in MunicipalityRegister.All.Select(NewTenant.For))
        {
            _repository.WithStack(tenant.Slug, tenant.RenderStackFile());
        }
        _fake = Directory.CreateTempSubdirectory("os2bpc-fake-fleet-").FullName;
        FakePrograms.WriteTo(_fake);
        Console.WriteLine($"// {Tenants} stacks at --parallel {Parallel}, {StackSeconds} s each, build {BuildSeconds} s: ideal {IdealSeconds} s");
    }

    [GlobalCleanup]
    public void Delete()
    {
        _repository.Dispose();
        Directory.Delete(_fake, recursive: true);
    }

    [Benchmark]
    public string FleetPreview()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { WorkingDirectory = _repository.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "OS2BorgerPC.Deploy.Cli.dll"), "fleet", "preview", "--parallel", $"{Parallel}"])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PATH"] = $"{_fake}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["FAKE"] = _fake;
        start.Environment["FAKE_PULUMI_SECONDS"] = $"{StackSeconds}";
        start.Environment["FAKE_BUILD_SECONDS"] = $"{BuildSeconds}";
        start.Environment["FAKE_PULUMI_VERSION"] = PulumiVersion;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"fleet preview failed ({process.ExitCode}):\n{output}\n{error.Result}");
    }
}
