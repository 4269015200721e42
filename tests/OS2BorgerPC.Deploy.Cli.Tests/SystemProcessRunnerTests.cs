using OS2BorgerPC.Deploy.Cli.Processes;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>The real runner behind kubectl and pg_restore: arguments as given, standard input from a file or text.</summary>
public sealed class SystemProcessRunnerTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();
    private readonly SystemProcessRunner _runner = new();

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void A_file_streams_into_standard_input()
    {
        File.WriteAllBytes(_file, [0, 1, 2, 255, (byte)'\n']);

        var result = _runner.Run(new ProcessCall("wc", ["-c"]) { StandardInputFile = _file });

        result.ShouldBe(new ProcessResult(0, "5\n", ""));
    }

    [Fact]
    public void Text_goes_to_standard_input_and_arguments_reach_the_program_unsplit()
    {
        var result = _runner.Run(new ProcessCall("sh", ["-c", "cat; printf '%s|' \"$@\"", "sh", "a b", "$HOME"]) { StandardInputText = "kind: Job\n" });

        result.Output.ShouldBe("kind: Job\na b|$HOME|");
    }

    [Fact]
    public void A_failure_keeps_its_exit_code_and_first_line()
    {
        var result = _runner.Run(new ProcessCall("sh", ["-c", "echo 'Error from server (NotFound)' >&2; echo more >&2; exit 3"]));

        (result.ExitCode, result.Succeeded, result.Reason).ShouldBe((3, false, "Error from server (NotFound)"));
    }

    [Fact]
    public void A_missing_program_is_reported_not_thrown()
    {
        var result = _runner.Run(new ProcessCall("os2bpc-no-such-program", []));

        result.NotFound.ShouldBeTrue();
        result.Error.ShouldContain("os2bpc-no-such-program is not installed");
    }
}
