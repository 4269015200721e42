using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace OS2BorgerPC.Deploy.Cli.Processes;

/// <summary>
/// One run of a program. Arguments go to the program as they are, never through a shell; standard input
/// comes from a file (an upload) or from text (a manifest), or is empty. It runs in <see cref="WorkingDirectory"/>,
/// or in the CLI's own when that is null.
/// </summary>
public sealed record ProcessCall(string Program, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }
    public string? StandardInputFile { get; init; }
    public string? StandardInputText { get; init; }

    public override string ToString() => string.Join(' ', Arguments.Prepend(Program).Select(a => a.Contains(' ') ? $"'{a}'" : a));
}

/// <summary>How a run ended; <see cref="NotFound"/> when the program is not installed.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error, bool NotFound = false)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first line of what the program said about a failure.</summary>
    public string Reason => (Error.Trim().Length > 0 ? Error : Output).Trim().Split('\n')[0].Trim();
}

/// <summary>Runs programs: the real ones, or a fake in tests.</summary>
public interface IProcessRunner
{
    ProcessResult Run(ProcessCall call);
}

/// <summary>
/// What the CLI needs from the machine it runs on: programs, the clock, how often to look at a running job, and
/// the kubeconfig its in-process Kubernetes client reads (as kubectl does).
/// </summary>
public sealed record Shell(IProcessRunner Processes, TimeProvider Time, TimeSpan PollInterval)
{
    public static Shell System { get; } = new(new SystemProcessRunner(), TimeProvider.System, TimeSpan.FromSeconds(5))
    {
        Kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG"),
    };

    /// <summary>The <c>KUBECONFIG</c> value (a list of files), or null for <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Cancelled when the operator interrupts (Ctrl+C): a wait for a Job ends, and the command says what is left.</summary>
    public CancellationToken Interrupted { get; init; }
}

/// <summary>Runs the real programs (with CliWrap: arguments as a list, standard input piped, never a shell).</summary>
public sealed class SystemProcessRunner : IProcessRunner
{
    public ProcessResult Run(ProcessCall call)
    {
        var command = CliWrap.Cli.Wrap(call.Program).WithArguments(call.Arguments).WithValidation(CommandResultValidation.None);
        if (call.WorkingDirectory is { } directory)
        {
            command = command.WithWorkingDirectory(directory);
        }
        if (call.StandardInputFile is { } file)
        {
            command = command.WithStandardInputPipe(PipeSource.FromFile(file));
        }
        else if (call.StandardInputText is { } text)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(text));
        }
        try
        {
            var result = command.ExecuteBufferedAsync().GetAwaiter().GetResult();
            return new ProcessResult(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (Win32Exception)
        {
            return new ProcessResult(127, "", $"{call.Program} is not installed (not found on PATH).", NotFound: true);
        }
    }
}
