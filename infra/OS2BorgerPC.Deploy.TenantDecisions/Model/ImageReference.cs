using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace OS2BorgerPC.Deploy.TenantDecisions.Model;

/// <summary>
/// A container image as the kit refers to it: registry, repository, tag and, where pinned, the digest. Docker Hub's
/// short names are spelled out (<c>postgres</c> is <c>docker.io/library/postgres</c>), as a pull-through cache's
/// source path needs them (MicrosoftDocs azure-docs container-registry/troubleshoot-artifact-cache.md: "the correct
/// Repository Path is docker.io/library/hello-world").
/// </summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    public const string DockerHub = "docker.io";

    /// <summary>The source repository: registry and path, without tag or digest.</summary>
    public string SourceRepository => $"{Registry}/{Repository}";

    /// <summary>What follows the repository: :tag, @digest, or both.</summary>
    public string Version => (Tag is null ? "" : $":{Tag}") + (Digest is null ? "" : $"@{Digest}");

    public override string ToString() => SourceRepository + Version;

    /// <summary>The same image under another registry path (a pull-through cache or mirror): <c>&lt;prefix&gt;/&lt;registry&gt;/&lt;repository&gt;</c>.</summary>
    public string Under(string prefix) => $"{prefix}/{SourceRepository}{Version}";

    public static bool TryParse(string text, [NotNullWhen(true)] out ImageReference? image)
    {
        image = null;
        var match = Reference().Match(text);
        if (!match.Success)
        {
            return false;
        }
        var path = match.Groups["path"].Value;
        var first = path.Split('/')[0];
        var hasRegistry = path.Contains('/') && (first.Contains('.') || first.Contains(':') || first == "localhost");
        var registry = hasRegistry ? first : DockerHub;
        var repository = hasRegistry ? path[(first.Length + 1)..] : path;
        if (registry == DockerHub && !repository.Contains('/'))
        {
            repository = "library/" + repository;
        }
        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        if (tag is null && digest is null)
        {
            return false;
        }
        image = new ImageReference(registry, repository, tag, digest);
        return true;
    }

    [GeneratedRegex(@"^(?<path>[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+(?=/))?(/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*)(:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(@(?<digest>sha256:[a-f0-9]{64}))?$")]
    private static partial Regex Reference();
}
