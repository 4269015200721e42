using OS2BorgerPC.Deploy.Cli.Processes;

namespace OS2BorgerPC.Deploy.Cli;

/// <summary>The files a branch changed, from git: started with an argument list, never through a shell.</summary>
internal static class GitDiff
{
    /// <summary>
    /// The files changed between the merge base of <paramref name="baseRevision"/> and HEAD (deleted and
    /// renamed-away files included), relative to <paramref name="directory"/>; or the error to show.
    /// </summary>
    public static (IReadOnlyList<string>? Files, string? Error) ChangedSince(IProcessRunner processes, string directory, string baseRevision)
    {
        if (baseRevision.Length == 0 || baseRevision.StartsWith('-'))
        {
            return (null, $"--base: '{baseRevision}' is not a git revision. Give a branch, tag or commit, e.g. --base origin/main.");
        }
        // -z: names exactly as stored; --no-renames: a renamed stack file shows as deleted plus added.
        var result = processes.Run(
            new ProcessCall("git", ["diff", "--name-only", "-z", "--no-renames", "--relative", "--end-of-options", $"{baseRevision}...HEAD"])
            {
                WorkingDirectory = directory,
            });
        if (result.NotFound)
        {
            return (null, $"{result.Error} Install git, or list the changed files with --files.");
        }
        if (!result.Succeeded)
        {
            return (null, $"git diff {baseRevision}...HEAD failed: {result.Reason} " +
                "Fetch the base revision first (in GitHub Actions: actions/checkout with fetch-depth: 0), or check its name.");
        }
        return (result.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries), null);
    }

    /// <summary>Whether <paramref name="commit"/> is HEAD or one of its ancestors (false when git does not know it).</summary>
    public static bool IsAncestorOfHead(IProcessRunner processes, string directory, string commit) =>
        processes.Run(new ProcessCall("git", ["merge-base", "--is-ancestor", "--end-of-options", commit, "HEAD"]) { WorkingDirectory = directory }).Succeeded;
}
