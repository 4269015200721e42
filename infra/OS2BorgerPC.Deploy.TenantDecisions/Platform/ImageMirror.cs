using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Platform;

/// <summary>One Azure Container Registry cache rule: pulls of <see cref="TargetRepo"/> are fetched from <see cref="SourceRepo"/> once and kept.</summary>
public sealed record CacheRule(string Name, string SourceRepo, string TargetRepo);

/// <summary>
/// Where the cluster pulls the kit's images from, instead of anonymously from their registries through the NAT addresses
/// (Docker Hub counts its anonymous limit per address): a platform fact (<see cref="PlatformFacts.Images"/>). azure: the
/// platform's registry, with one cache rule per repository in <see cref="CachedRepositories"/> (ACR artifact cache);
/// cluster: a configured registry prefix (a mirror or proxy the operator runs), or none. A digest is never invented: it
/// comes from configuration that Renovate's digest pinning maintains, and where digests are required a tag-only image is
/// refused.
/// </summary>
/// <param name="Prefix">The registry path every image is pulled under (an ACR login server, or the cluster's prefix); null: from its own registry.</param>
/// <param name="DigestsRequired">Whether a tag-only image is refused (the platform's <c>images.requireDigests</c>).</param>
/// <param name="CachedRepositories">The source repositories the prefix serves (the registry's cache rules); empty: any (a mirror).</param>
public sealed record ImageMirror(string? Prefix, bool DigestsRequired, ImmutableArray<string> CachedRepositories)
{
    /// <summary>azurerm v4.80.0 validate/container_registry_cache_rule_name.go: alphanumerics separated by single '-', 5-49 characters.</summary>
    public const int MaxRuleName = 49;

    /// <summary>Every repository the kit's tenants pull from: the admin site's, the kit's pinned images' and the database operand's.</summary>
    public static readonly ImmutableArray<string> KitRepositories =
    [
        .. new[] { AdminSiteRelease.ImageRepository }
            .Concat(Images.All.Append(Backup.CloudNativePg.PostgresImage)
                .Select(image => ImageReference.TryParse(image, out var reference) ? reference.SourceRepository : throw new InvalidOperationException($"The kit's image '{image}' is not an image reference.")))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal),
    ];

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
                "Pin the digest the registry reports for the tag (Renovate's digest pinning writes it: <image>:<tag>@sha256:<digest>); never write one that was not read from the registry."));
        }
        if (Prefix is not null && !CachedRepositories.IsDefaultOrEmpty && !CachedRepositories.Contains(reference.SourceRepository, StringComparer.Ordinal))
        {
            return (null, new Problem(file, key, $"'{reference.SourceRepository}' has no cache rule in the platform's registry {Prefix}, so its pull would fail.",
                "Run 'pulumi up' of the platform stack from this commit of the kit: it makes a cache rule for every repository the kit runs."));
        }
        return (Prefix is null ? reference.ToString() : reference.Under(Prefix), null);
    }

    /// <summary>The cache rule that makes a source repository (registry/path) pullable through the registry (azure).</summary>
    public static CacheRule RuleFor(string sourceRepository)
    {
        var slug = string.Join('-', sourceRepository.Split(['/', '.', '_', '-', ':'], StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        if (slug.Length > MaxRuleName)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sourceRepository)))[..8];
            slug = $"{slug[..(MaxRuleName - 9)].TrimEnd('-')}-{hash}";
        }
        return new CacheRule(slug, sourceRepository, sourceRepository);
    }

    /// <summary>One rule per source repository, in a stable order.</summary>
    public static IReadOnlyList<CacheRule> RulesFor(IEnumerable<string> sourceRepositories) =>
        sourceRepositories.Distinct(StringComparer.Ordinal).Select(RuleFor).OrderBy(rule => rule.Name, StringComparer.Ordinal).ToList();
}
