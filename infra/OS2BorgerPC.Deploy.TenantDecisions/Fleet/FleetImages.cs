using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>One container image and the tenants that run it.</summary>
public sealed record ImageUse(string Image, IReadOnlyList<string> Tenants);

/// <summary>The container images a fleet runs, for vulnerability scans.</summary>
public static class FleetImages
{
    /// <summary>Every image a tenant's pods run: its own admin-site release, then the kit's pinned images.</summary>
    public static IReadOnlyList<string> OfTenant(Tenant tenant) => [tenant.Release.Image, .. Images.All];

    /// <summary>Each distinct image once, with the tenants that run it; sorted by image, tenants by slug.</summary>
    public static IReadOnlyList<ImageUse> OfFleet(IEnumerable<Tenant> tenants) =>
        tenants.SelectMany(tenant => OfTenant(tenant).Select(image => (Image: image, tenant.Slug)))
            .GroupBy(use => use.Image, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new ImageUse(group.Key, group.Select(use => use.Slug).Distinct().Order(StringComparer.Ordinal).ToList()))
            .ToList();
}
