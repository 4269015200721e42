using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.PlatformDecisions.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>The kit's images pulled through a cache or mirror, by digest where required, never invented.</summary>
public sealed class ImageMirrorTests
{
    // A digest shape only: the test never pulls; real digests come from Renovate's or Dependabot's pinning.
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    // MicrosoftDocs azure-docs troubleshoot-artifact-cache.md: a Docker Hub official image's repository path is docker.io/library/<name>.
    [InlineData("postgres:17.6-bookworm", "docker.io", "library/postgres", "17.6-bookworm", null)]
    [InlineData("docker.io/restic/restic:0.17.3@" + Digest, "docker.io", "restic/restic", "0.17.3", Digest)]
    [InlineData("ghcr.io/cloudnative-pg/postgresql@" + Digest, "ghcr.io", "cloudnative-pg/postgresql", null, Digest)]
    [InlineData("registry.example.dk:5000/os2/admin-site:7.1.0", "registry.example.dk:5000", "os2/admin-site", "7.1.0", null)]
    // A tag is not a port: only a component followed by a path is a registry.
    [InlineData("postgres:16@" + Digest, "docker.io", "library/postgres", "16", Digest)]
    public void A_reference_names_its_registry_repository_tag_and_digest(string text, string registry, string repository, string? tag, string? digest)
    {
        ImageReference.TryParse(text, out var image).ShouldBeTrue();

        image.ShouldBe(new ImageReference(registry, repository, tag, digest));
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("Postgres:17")]
    [InlineData("postgres@sha256:abc")]
    public void A_reference_without_a_version_or_with_a_broken_one_is_not_an_image(string text) =>
        ImageReference.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void Where_digests_are_required_a_tag_only_image_is_refused_naming_file_key_and_fix()
    {
        var mirror = new ImageMirror("acros2borgerpcprod.azurecr.io", DigestsRequired: true, ImageMirror.KitRepositories);

        var (path, problem) = mirror.PullPath("docker.io/library/postgres:17.6-bookworm", "stacks/Pulumi.aarhus.yaml", "os2borgerpc:release.image");

        path.ShouldBeNull();
        (problem!.File, problem.Key).ShouldBe(("stacks/Pulumi.aarhus.yaml", "os2borgerpc:release.image"));
        problem.Message.ShouldContain("names no digest");
        problem.Fix.ShouldContain("never write one that was not read from the registry");
    }

    [Fact]
    public void A_pinned_image_is_pulled_under_the_prefix_by_its_source_path()
    {
        var azure = new ImageMirror("acros2borgerpcprod.azurecr.io", DigestsRequired: true, ImageMirror.KitRepositories);
        var cluster = new ImageMirror("harbor.kommune.dk/proxy", DigestsRequired: false, []);

        azure.PullPath($"postgres:17.6-bookworm@{Digest}", "f", "k").Path.ShouldBe($"acros2borgerpcprod.azurecr.io/docker.io/library/postgres:17.6-bookworm@{Digest}");
        cluster.PullPath("docker.io/curlimages/curl:8.11.1", "f", "k").Path.ShouldBe("harbor.kommune.dk/proxy/docker.io/curlimages/curl:8.11.1");
    }

    [Fact]
    public void Every_repository_gets_one_cache_rule_whose_name_azurerm_accepts()
    {
        // azurerm v4.80.0 validate/container_registry_cache_rule_name.go: ^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$, 5-49 characters.
        var images = new[]
        {
            $"postgres:17.6-bookworm@{Digest}", $"postgres:16@{Digest}", $"docker.io/restic/restic:0.17.3@{Digest}",
            $"ghcr.io/a-very-long-organisation-name/and-an-even-longer-repository-name:1@{Digest}",
        }.Select(text => ImageReference.TryParse(text, out var image) ? image.SourceRepository : throw new InvalidOperationException(text));

        var rules = ImageMirror.RulesFor(images);

        rules.Select(r => r.SourceRepo).ShouldBe(["docker.io/library/postgres", "docker.io/restic/restic", "ghcr.io/a-very-long-organisation-name/and-an-even-longer-repository-name"], ignoreOrder: true);
        rules.ShouldAllBe(r => System.Text.RegularExpressions.Regex.IsMatch(r.Name, "^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$") && r.Name.Length >= 5 && r.Name.Length <= ImageMirror.MaxRuleName);
        rules.Single(r => r.SourceRepo == "docker.io/library/postgres").Name.ShouldBe("docker-io-library-postgres");
        rules.ShouldAllBe(r => r.TargetRepo == r.SourceRepo);
    }

    [Fact]
    public void The_cluster_flavour_takes_a_registry_prefix_and_refuses_what_is_not_one()
    {
        PlatformStackFile.Cluster().Set("cluster.registryPrefix", "\"harbor.kommune.dk/dockerhub-proxy\"").Load().ShouldBeValid()
            .Cluster!.RegistryPrefix.ShouldBe("harbor.kommune.dk/dockerhub-proxy");
        PlatformStackFile.Cluster().Load().ShouldBeValid().Cluster!.RegistryPrefix.ShouldBeNull();
        PlatformStackFile.Cluster().Set("cluster.registryPrefix", "\"https://harbor.kommune.dk/\"").Load()
            .ShouldReport("os2borgerpc-platform:platform.cluster.registryPrefix", "without scheme or trailing slash");
    }

    [Fact]
    public void A_repository_without_a_cache_rule_is_refused_naming_the_fix_and_a_mirror_serves_any()
    {
        var azure = new ImageMirror("crprod1a2b3c.azurecr.io", DigestsRequired: false, ["docker.io/library/postgres"]);
        var mirror = new ImageMirror("harbor.kommune.dk/proxy", DigestsRequired: false, []);

        var (path, problem) = azure.PullPath("docker.io/restic/restic:0.17.3", "Runtime.cs", "Images.Restic");

        path.ShouldBeNull();
        problem!.Message.ShouldContain("'docker.io/restic/restic' has no cache rule in the platform's registry crprod1a2b3c.azurecr.io");
        problem.Fix.ShouldContain("'pulumi up' of the platform stack");
        mirror.PullPath("docker.io/restic/restic:0.17.3", "f", "k").Path.ShouldBe("harbor.kommune.dk/proxy/docker.io/restic/restic:0.17.3");
        new ImageMirror(null, false, []).PullPath("postgres:17", "f", "k").Path.ShouldBe("docker.io/library/postgres:17");
    }

    [Fact]
    public void The_kit_caches_every_repository_its_tenants_pull_from()
    {
        ImageMirror.KitRepositories.ShouldBe([
            "docker.io/curlimages/curl", "docker.io/library/postgres", "docker.io/nginxinc/nginx-unprivileged", "docker.io/restic/restic",
            "ghcr.io/cloudnative-pg/postgresql", "ghcr.io/os2borgerpc/os2borgerpc-admin-site"]);
    }

    [Fact]
    public void The_azure_facts_name_the_registrys_login_server_and_the_cluster_facts_its_prefix_with_the_digest_setting()
    {
        var azure = PlatformStackFile.Azure().Set("images.requireDigests", "true").Load().ShouldBeValid();
        var cluster = PlatformStackFile.Cluster().Set("cluster.registryPrefix", "\"harbor.kommune.dk/proxy\"").Load().ShouldBeValid();

        TenantFacts.Images(azure, TenantFactsTests.Cloud with { RegistryLoginServer = "crprod1a2b3c.azurecr.io" })
            .ShouldBe(new ImageMirror("crprod1a2b3c.azurecr.io", true, ImageMirror.KitRepositories), new MirrorComparer());
        TenantFacts.Images(cluster, null).ShouldBe(new ImageMirror("harbor.kommune.dk/proxy", false, []), new MirrorComparer());
        PlatformStackFile.Cluster().Load().ShouldBeValid().RequireImageDigests.ShouldBeFalse();
        PlatformStackFile.Azure().Set("images.requireDigests", "\"yes\"").Load().ShouldReport("os2borgerpc-platform:platform.images.requireDigests", "");
    }

    private sealed class MirrorComparer : IEqualityComparer<ImageMirror>
    {
        public bool Equals(ImageMirror? x, ImageMirror? y) =>
            x!.Prefix == y!.Prefix && x.DigestsRequired == y.DigestsRequired && x.CachedRepositories.SequenceEqual(y.CachedRepositories);

        public int GetHashCode(ImageMirror obj) => obj.Prefix?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
