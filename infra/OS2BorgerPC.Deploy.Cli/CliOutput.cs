using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OS2BorgerPC.Deploy.Cli;

/// <summary>Plain lines to the writers, tables through Spectre.Console; problems always to the error writer.</summary>
public sealed class CliOutput
{
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    // Made when a command first renders a table or a live display: most commands print plain lines only, and
    // Spectre.Console's set-up (capability detection, its code's first run) is a noticeable part of their start.
    private readonly Lazy<IAnsiConsole> _console;

    public CliOutput(TextWriter output, TextWriter error)
    {
        _out = output;
        _error = error;
        IsTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        _console = new(() => CreateConsole(output, IsTerminal));
    }

    private static IAnsiConsole CreateConsole(TextWriter output, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            // Live displays (fleet progress) redraw in place on a terminal only.
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 200;
        }
        return console;
    }

    /// <summary>Standard output is the console, not a file or a pipe.</summary>
    public bool IsTerminal { get; }

    /// <summary>The Spectre.Console console on standard output, for live displays.</summary>
    public IAnsiConsole Ansi => _console.Value;

    public void Line(string text = "") => _out.WriteLine(text);

    public void Render(IRenderable renderable) => _console.Value.Write(renderable);

    public void Error(string text) => _error.WriteLine($"error: {text}");

    /// <summary>A line for people beside machine-readable output: stderr, so stdout stays parseable.</summary>
    public void Note(string text) => _error.WriteLine(text);

    /// <summary>Each problem on its own line with its fix, then how many there were.</summary>
    public void Problems(IReadOnlyCollection<Problem> problems)
    {
        foreach (var problem in problems)
        {
            _error.WriteLine($"error: {problem.File}: {problem.Key}: {problem.Message}");
            _error.WriteLine($"       fix: {problem.Fix}");
        }
        _error.WriteLine($"{problems.Count} problem{(problems.Count == 1 ? "" : "s")} found; nothing was changed.");
    }
}
