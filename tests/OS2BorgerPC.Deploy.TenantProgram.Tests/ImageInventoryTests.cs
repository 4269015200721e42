using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>
/// The image scan reads TenantDecisions' image list; it must be exactly what the program runs, pulled where the platform
/// says (its registry's cache rules on azure), and a tenant whose images the platform cannot serve is refused whole.
/// </summary>
[Collection(PulumiCollection.Name)]
public sealed class ImageInventoryTests
{
    [Theory]
    [InlineData("demo")]
    [InlineData("aarhus")]
    [InlineData("faelles-it")]
    public async Task The_images_a_tenant_is_scanned_for_are_the_images_its_pods_run_pulled_where_its_platform_says(string stack)
    {
        var run = await StackHarness.RunShipped(stack);
        var tenant = RepositoryRoot.Tenant(stack);
        var pulled = TenantImages.For(tenant, StackHarness.PlatformOf(stack).Images, $"stacks/Pulumi.{stack}.yaml").Images!;

        var running = (await KubernetesTenantTests.Pods(run))
            .SelectMany(p => p.Pod.Containers.Concat(p.Pod.InitContainers.IsDefault ? [] : p.Pod.InitContainers))
            .Select(c => c.Image)
            .Distinct();

        running.ShouldBe(pulled.All.Where(i => i != pulled.DatabaseOperand).Select(i => i.PullPath), ignoreOrder: true);
        FleetImages.OfTenant(tenant).ShouldBe(pulled.All.Where(i => i != pulled.DatabaseOperand).Select(i => i.Upstream), ignoreOrder: true);
    }

    [Theory]
    [InlineData("aarhus")]
    [InlineData("faelles-it")]
    public async Task On_an_azure_platform_every_image_a_tenant_runs_is_pulled_through_the_registry_by_its_cached_repository(string stack)
    {
        var run = await StackHarness.RunShipped(stack);
        var mirror = StackHarness.PlatformOf(stack).Images.ShouldNotBeNull();
        mirror.Prefix.ShouldEndWith(".azurecr.io");

        var images = (await KubernetesTenantTests.Pods(run))
            .SelectMany(p => p.Pod.Containers.Concat(p.Pod.InitContainers.IsDefault ? [] : p.Pod.InitContainers))
            .Select(c => c.Image)
            .Concat(run.Inputs.Where(i => i.Type == "kubernetes:postgresql.cnpg.io/v1:Cluster")
                .Select(i => (string)((IDictionary<string, object>)i.Inputs["spec"])["imageName"]))
            .ToList();

        images.ShouldNotBeEmpty();
        // MicrosoftDocs azure-docs troubleshoot-artifact-cache.md: a cache rule serves <login server>/<target repository>:<tag>.
        images.ShouldAllBe(image => mirror.CachedRepositories.Any(repository => image.StartsWith($"{mirror.Prefix}/{repository}:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("acme/os2borgerpc-platform/stale-registry-prod", "Images.Restic", "has no cache rule in the platform's registry")]
    [InlineData("acme/os2borgerpc-platform/digests-prod", "os2borgerpc:tenant.adminSite.version", "names no digest")]
    public async Task A_tenant_whose_images_the_platform_cannot_serve_is_refused_before_anything_is_provisioned(string platform, string key, string says)
    {
        var yaml = RepositoryRoot.StackText("aarhus").Replace("    cluster: {}", $"    platform:\n      stack: {platform}\n    cluster: {{}}");

        var error = await Should.ThrowAsync<Exception>(() => StackHarness.Run("aarhus", yaml));

        error.ToString().ShouldContain(key);
        error.ToString().ShouldContain(says);
        error.ToString().ShouldContain("nothing was provisioned");
    }
}
