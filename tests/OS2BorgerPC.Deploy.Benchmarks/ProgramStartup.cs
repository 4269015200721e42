using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Benchmarks;

/// <summary>
/// From process start until the Pulumi program hands over to the Pulumi runtime: the published program
/// started directly (Pulumi.yaml's <c>binary</c> runtime option) against <c>dotnet run</c> on an up-to-date
/// build (the default). Without a Pulumi engine, <c>Deployment.RunAsync</c> stops at exactly that point,
/// so the whole process is timed.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 7)]
public class ProgramStartup
{
    /// <summary>What Deployment.RunAsync says when no engine started the program.</summary>
    private const string HandOver = "Program run without the Pulumi engine available";

    private const string ProgramName = "OS2BorgerPC.Deploy.TenantProgram";

    private static readonly string Project = Path.Combine(RepositoryRoot.FullPath, "infra", ProgramName);

    private readonly string _publishFolder = Path.Combine(Path.GetTempPath(), $"os2bpc-published-{Guid.NewGuid():N}");

    [GlobalSetup(Target = nameof(DotnetRun))]
    public void Build() => Dotnet("build", Project);

    [GlobalSetup(Target = nameof(PublishedProgram))]
    public void Publish() => Dotnet("publish", Project, "-c", "Release", "-o", _publishFolder);

    [GlobalCleanup(Target = nameof(PublishedProgram))]
    public void DeletePublished() => Directory.Delete(_publishFolder, recursive: true);

    [Benchmark(Baseline = true)]
    public string DotnetRun() => UntilHandOver("dotnet", "run", "--project", Project);

    [Benchmark]
    public string PublishedProgram() => UntilHandOver(Path.Combine(_publishFolder, ProgramName));

    private static string UntilHandOver(string program, params string[] arguments)
    {
        var (exitCode, output) = Run(program, arguments);
        return exitCode != 0 && output.Contains(HandOver, StringComparison.Ordinal)
            ? output
            : throw new InvalidOperationException($"{program} did not stop where it hands over to Pulumi (exit code {exitCode}):\n{output}");
    }

    private static void Dotnet(params string[] arguments)
    {
        var (exitCode, output) = Run("dotnet", arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed:\n{output}");
        }
    }

    private static (int ExitCode, string Output) Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = RepositoryRoot.FullPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
