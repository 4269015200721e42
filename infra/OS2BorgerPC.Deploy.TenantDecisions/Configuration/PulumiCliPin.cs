using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Configuration;

/// <summary>
/// The one Pulumi CLI version the fleet runs, recorded once in <see cref="FileName"/> at the repository root: every
/// workflow's pulumi/actions step installs it (<c>pulumi-version-file</c>), and the fleet commands refuse an older CLI.
/// It moves together with the Pulumi.Automation package (the renovate.json group "pulumi"), and is never below the
/// oldest CLI that package accepts.
/// </summary>
public static class PulumiCliPin
{
    public const string FileName = ".pulumi-version";

    /// <summary>The recorded version, or the problem with the file: missing, or not an exact X.Y.Z.</summary>
    public static (Version? Version, Problem? Problem) Read(ProjectWorkspace workspace)
    {
        var path = Path.Combine(workspace.Root, FileName);
        var fix = $"Write the one Pulumi CLI version the fleet runs into {FileName}, an exact X.Y.Z such as 3.272.0 and nothing else (the workflows' pulumi/actions steps read it too).";
        if (!File.Exists(path))
        {
            return (null, new Problem(FileName, "(file)", "is missing.", fix));
        }
        var text = File.ReadAllText(path).Trim();
        return Rules.TryParseVersion(text.TrimStart('v'), out var version) && !text.Contains('\n')
            ? (version, null)
            : (null, new Problem(FileName, "(file)", $"'{text}' is not a Pulumi CLI version.", fix));
    }

    /// <summary>Why <paramref name="installed"/> may not run the fleet (older than <paramref name="pinned"/>), or null.</summary>
    public static string? Refusal(Version? installed, Version pinned) => installed switch
    {
        null => $"its version is unknown, and the fleet runs Pulumi {pinned.ToString(3)} or newer ({FileName}): install {pinned.ToString(3)} (https://www.pulumi.com/docs/install/versions/).",
        _ when installed < pinned => $"it is {installed.ToString(3)}, older than {pinned.ToString(3)}, the version the fleet runs ({FileName}): " +
            $"install {pinned.ToString(3)} (e.g. 'curl -fsSL https://get.pulumi.com | sh -s -- --version {pinned.ToString(3)}').",
        _ => null,
    };
}
