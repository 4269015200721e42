using System.Diagnostics;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>Runs a child process to its end: standard input closed, output and error captured, killed on a timeout.</summary>
public static class ChildProcess
{
    /// <exception cref="TimeoutException">The process (killed with its children) or its output did not end within <paramref name="timeout"/>.</exception>
    public static (int ExitCode, string Output, string Error) Run(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout) || !Task.WaitAll([output, error], timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(start.FileName, start.ArgumentList)} did not finish within {timeout.TotalSeconds} s.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The command line as a person would type it (arguments with spaces quoted).</summary>
    public static string Describe(string program, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(program).Select(a => a.Contains(' ') ? $"'{a}'" : a));
}
