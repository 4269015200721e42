using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>One container image, where the cluster pulls it from (null: the tenants' platform is not known here), and the tenants that run it.</summary>
public sealed record ImageUse(string Image, string? PulledFrom, IReadOnlyList<string> Tenants);

/// <summary>The container images a fleet runs, for vulnerability scans and <c>tenant images</c>.</summary>
public static class FleetImages
{
    /// <summary>Every image a tenant's pods run: its own admin-site release, then the kit's pinned images.</summary>
    public static IReadOnlyList<string> OfTenant(Tenant tenant) => [tenant.Release.Image, .. Images.All];

    /// <summary>Each distinct image and pull path once, with the tenants that run it; sorted by image, tenants by slug.</summary>
    /// <param name="platformOf">A tenant's platform facts, where known: the pull path through its registry or mirror, or why it is refused.</param>
    public static IReadOnlyList<ImageUse> OfFleet(IEnumerable<Tenant> tenants, Func<Tenant, PlatformFacts?>? platformOf = null) =>
        tenants.SelectMany(tenant => OfTenant(tenant).Select(image => (Image: image, PulledFrom: PulledFrom(image, platformOf?.Invoke(tenant)), tenant.Slug)))
            .GroupBy(use => (use.Image, use.PulledFrom))
            .OrderBy(group => group.Key.Image, StringComparer.Ordinal).ThenBy(group => group.Key.PulledFrom, StringComparer.Ordinal)
            .Select(group => new ImageUse(group.Key.Image, group.Key.PulledFrom, group.Select(use => use.Slug).Distinct().Order(StringComparer.Ordinal).ToList()))
            .ToList();

    /// <summary>Where a platform pulls an image from (a platform from before the images fact: its own registry), or "refused: …".</summary>
    private static string? PulledFrom(string image, PlatformFacts? platform)
    {
        if (platform is null)
        {
            return null;
        }
        var (path, problem) = (platform.Images ?? new ImageMirror(null, false, [])).PullPath(image, "", "");
        return path ?? $"refused: {problem!.Message}";
    }
}
