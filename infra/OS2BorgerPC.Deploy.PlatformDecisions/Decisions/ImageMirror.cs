using System.Security.Cryptography;
using System.Text;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>One Azure Container Registry cache rule: pulls of <see cref="TargetRepo"/> are fetched from <see cref="SourceRepo"/> once and kept.</summary>
public sealed record CacheRule(string Name, string SourceRepo, string TargetRepo);

/// <summary>
/// Where the cluster pulls the kit's images from, instead of anonymously from their registries through the NAT addresses
/// (Docker Hub counts its anonymous limit per address). azure: the platform's registry with one cache rule per image
/// repository (ACR artifact cache), images by digest; cluster: a configured registry prefix (a mirror or proxy the
/// operator runs). A digest is never invented: it comes from configuration that Renovate's or Dependabot's digest pinning
/// maintains, and where digests are required a tag-only image is refused.
/// </summary>
/// <param name="Prefix">The registry path every image is pulled under: an ACR login server, or the cluster's prefix.</param>
/// <param name="DigestsRequired">Whether a tag-only image is refused (always on azure).</param>
public sealed record ImageMirror(string Prefix, bool DigestsRequired)
{
    /// <summary>azurerm v4.80.0 validate/container_registry_cache_rule_name.go: alphanumerics separated by single '-', 5-49 characters.</summary>
    public const int MaxRuleName = 49;

    /// <summary>The pull path of an image, or the problem (file, key, fix) that keeps it from being pulled.</summary>
    public (string? Path, Problem? Problem) PullPath(string image, string file, string key)
    {
        if (!ImageReference.TryParse(image, out var reference))
        {
            return (null, new Problem(file, key, $"'{image}' is not an image reference.", "Write registry/repository:tag@sha256:<digest>, e.g. docker.io/library/postgres:17.6-bookworm@sha256:…"));
        }
        if (DigestsRequired && reference.Digest is null)
        {
            return (null, new Problem(file, key, $"'{image}' names no digest: on this platform images are pulled by digest only, so a retagged upstream image never reaches a tenant unreviewed.",
                "Pin the digest the registry reports for the tag (Renovate's or Dependabot's digest pinning writes it: <image>:<tag>@sha256:<digest>); never write one that was not read from the registry."));
        }
        return (reference.Under(Prefix), null);
    }

    /// <summary>The cache rule that makes an image's repository pullable through the registry (azure).</summary>
    public static CacheRule RuleFor(ImageReference image)
    {
        var slug = string.Join('-', image.SourceRepository.Split(['/', '.', '_', '-'], StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        if (slug.Length > MaxRuleName)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image.SourceRepository)))[..8];
            slug = $"{slug[..(MaxRuleName - 9)].TrimEnd('-')}-{hash}";
        }
        return new CacheRule(slug, image.SourceRepository, image.SourceRepository);
    }

    /// <summary>One rule per source repository, in a stable order.</summary>
    public static IReadOnlyList<CacheRule> RulesFor(IEnumerable<ImageReference> images) =>
        images.Select(RuleFor).Distinct().OrderBy(rule => rule.Name, StringComparer.Ordinal).ToList();
}
