using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>The image scan reads TenantDecisions' image list; it must be exactly what the program runs.</summary>
[Collection(PulumiCollection.Name)]
public sealed class ImageInventoryTests
{
    [Theory]
    [InlineData("demo")]
    [InlineData("aarhus")]
    public async Task The_images_a_tenant_is_scanned_for_are_the_images_its_pods_run(string stack)
    {
        var run = await StackHarness.RunShipped(stack);
        var tenant = RepositoryRoot.Tenant(stack);

        var running = (await KubernetesTenantTests.Pods(run))
            .SelectMany(p => p.Pod.Containers.Concat(p.Pod.InitContainers.IsDefault ? [] : p.Pod.InitContainers))
            .Select(c => c.Image)
            .Distinct();

        running.ShouldBe(FleetImages.OfTenant(tenant), ignoreOrder: true);
    }
}
