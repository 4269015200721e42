using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>The images a fleet runs, as the image scan reads them: each once, with the tenants that run it.</summary>
public sealed class FleetImagesTests : IDisposable
{
    private const string AdminSite = AdminSiteRelease.ImageRepository;

    private readonly TempRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void A_tenant_runs_its_own_admin_site_release_and_the_kits_pinned_images()
    {
        var tenant = Tenant("odense", "7.2.1");

        FleetImages.OfTenant(tenant).ShouldBe([$"{AdminSite}:7.2.1", Images.Postgres, Images.MediaServer, Images.Curl, Images.Restic]);
    }

    [Fact]
    public void Each_image_is_listed_once_with_every_tenant_that_runs_it()
    {
        var fleet = new[] { Tenant("odense", "7.2.1"), Tenant("aarhus", "7.1.0"), Tenant("vejle", "7.2.1") };

        var images = FleetImages.OfFleet(fleet);

        string[] expected = [$"{AdminSite}:7.1.0", $"{AdminSite}:7.2.1", .. Images.All];
        images.Select(i => i.Image).ShouldBe(expected.Order(StringComparer.Ordinal));
        images.Single(i => i.Image == $"{AdminSite}:7.2.1").Tenants.ShouldBe(["odense", "vejle"]);
        images.Single(i => i.Image == $"{AdminSite}:7.1.0").Tenants.ShouldBe(["aarhus"]);
        images.Single(i => i.Image == Images.Postgres).Tenants.ShouldBe(["aarhus", "odense", "vejle"]);
    }

    [Fact]
    public void On_an_azure_platform_each_image_is_listed_with_its_pull_path_through_the_registry_and_a_refusal_is_named()
    {
        var fleet = new[] { Tenant("odense", "7.2.1"), Tenant("aarhus", "7.1.0") };
        var registry = RecordedPlatform.Azure.Images!.Prefix;

        var images = FleetImages.OfFleet(fleet, tenant => tenant.Slug == "odense" ? RecordedPlatform.Azure : RecordedPlatform.StaleRegistry);

        // Both platforms cache postgres at the same registry: one pull path, both tenants.
        images.Single(i => i.Image == Images.Postgres).ShouldBe(new ImageUse(Images.Postgres, $"{registry}/{Images.Postgres}", ["aarhus", "odense"]), new UseComparer());
        images.Single(i => i.Image == Images.Restic && i.Tenants.SequenceEqual(new[] { "aarhus" })).PulledFrom!.ShouldStartWith("refused: 'docker.io/restic/restic' has no cache rule");
        FleetImages.OfFleet(fleet).ShouldAllBe(i => i.PulledFrom == null);
    }

    [Fact]
    public void An_empty_fleet_runs_no_image() => FleetImages.OfFleet([]).ShouldBeEmpty();

    private Tenant Tenant(string slug, string version) =>
        _repository.Open().Load(StackFile.Kubernetes(slug).Set("tenant.adminSite", $"{{version: {version}}}").Text, slug).ShouldBeValid();

    private sealed class UseComparer : IEqualityComparer<ImageUse>
    {
        public bool Equals(ImageUse? x, ImageUse? y) => x!.Image == y!.Image && x.PulledFrom == y.PulledFrom && x.Tenants.SequenceEqual(y.Tenants);

        public int GetHashCode(ImageUse obj) => obj.Image.GetHashCode(StringComparison.Ordinal);
    }
}
