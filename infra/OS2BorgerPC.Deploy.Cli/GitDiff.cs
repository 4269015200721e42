using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace OS2BorgerPC.Deploy.Cli;

/// <summary>The files a branch changed, from git: started with an argument list, never through a shell.</summary>
internal static class GitDiff
{
    /// <summary>
    /// The files changed between the merge base of <paramref name="baseRevision"/> and HEAD (deleted and
    /// renamed-away files included), relative to <paramref name="directory"/>; or the error to show.
    /// </summary>
    public static (IReadOnlyList<string>? Files, string? Error) ChangedSince(string directory, string baseRevision)
    {
        if (baseRevision.Length == 0 || baseRevision.StartsWith('-'))
        {
            return (null, $"--base: '{baseRevision}' is not a git revision. Give a branch, tag or commit, e.g. --base origin/main.");
        }
        BufferedCommandResult result;
        try
        {
            result = CliWrap.Cli.Wrap("git")
                // -z: names exactly as stored; --no-renames: a renamed stack file shows as deleted plus added.
                .WithArguments(["diff", "--name-only", "-z", "--no-renames", "--relative", "--end-of-options", $"{baseRevision}...HEAD"])
                .WithWorkingDirectory(directory)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync()
                .GetAwaiter().GetResult();
        }
        catch (Win32Exception e)
        {
            return (null, $"git could not be started ({e.Message}). Install git, or list the changed files with --files.");
        }
        if (result.ExitCode != 0)
        {
            var reason = result.StandardError.Trim().Split('\n')[0];
            return (null, $"git diff {baseRevision}...HEAD failed: {reason} " +
                "Fetch the base revision first (in GitHub Actions: actions/checkout with fetch-depth: 0), or check its name.");
        }
        return (result.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries), null);
    }
}
