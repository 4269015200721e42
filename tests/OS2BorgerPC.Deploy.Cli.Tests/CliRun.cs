using OS2BorgerPC.Deploy.Cli.Fleet;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>One CLI invocation: exit code and everything written to stdout and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun In(string workingDirectory, params string[] args) => Run(workingDirectory, null, null, args);

    /// <summary>A run whose fleet commands use <paramref name="fleet"/> instead of this machine's pulumi.</summary>
    public static CliRun In(string workingDirectory, FleetHost fleet, params string[] args) => Run(workingDirectory, fleet, null, args);

    /// <summary>A run whose cluster commands use <paramref name="shell"/>'s programs (e.g. a fake kubectl) and clock.</summary>
    public static CliRun In(string workingDirectory, Shell shell, params string[] args) => Run(workingDirectory, null, shell, args);

    private static CliRun Run(string workingDirectory, FleetHost? fleet, Shell? shell, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CliApp.Run(args, workingDirectory, output, error, fleet, shell);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>A table row's cells, without the borders Spectre.Console draws.</summary>
    public static string[] Cells(string line) =>
        line.Split('│', '|').Select(cell => cell.Trim()).Where(cell => cell.Length > 0).ToArray();

    public CliRun ShouldSucceed()
    {
        ExitCode.ShouldBe(0, $"stdout:\n{Output}\nstderr:\n{Error}");
        Error.ShouldBeEmpty();
        return this;
    }

    /// <summary>Exit 1 with an error that says <paramref name="says"/>, and never a stack trace.</summary>
    public CliRun ShouldFail(string says)
    {
        ExitCode.ShouldBe(1, $"stdout:\n{Output}\nstderr:\n{Error}");
        Error.ShouldContain(says, Case.Sensitive);
        Error.ShouldNotContain("Exception");
        Error.ShouldNotContain("   at ");
        return this;
    }
}

internal static class TempRepositoryCli
{
    /// <summary>Runs the CLI at the repository's root.</summary>
    public static CliRun Run(this TempRepository repository, params string[] args) => CliRun.In(repository.Root, args);

    /// <summary>Runs the CLI at the repository's root with a stand-in for pulumi.</summary>
    public static CliRun Run(this TempRepository repository, FleetHost fleet, params string[] args) => CliRun.In(repository.Root, fleet, args);

    public static string[] StackFiles(this TempRepository repository) =>
        Directory.GetFiles(Path.Combine(repository.Root, "stacks")).Select(Path.GetFileName).Order().ToArray()!;
}
