using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>One tenant on a platform: its namespace and (azure platform) the resource group the platform's foundation makes for it.</summary>
/// <param name="Location">Where its group lives: the tenant's Azure location (azure hosting), else null (the platform's).</param>
/// <param name="Labels">The tenant's labels: its group's tags, as the tenant program tagged it.</param>
public sealed record PlatformTenant(string Slug, string Namespace, string ResourceGroup, string? Location, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// The tenants on one platform, as the foundation and platform programs learn them: the tenant stack files
/// (stacks/Pulumi.&lt;slug&gt;.yaml) whose <c>platform.stack</c> names it. From this list the foundation makes each one's resource
/// group and the CI identities' rights there, and the platform their rights in each one's namespace, so a new tenant's file must
/// reach the foundation's and the platform's <c>up</c> before the tenant's first <c>up</c>.
/// </summary>
public static class PlatformTenants
{
    /// <summary>
    /// The tenants on <paramref name="platformStack"/>, ordered by slug; or, when any tenant file does not load, its problems
    /// (whom it names cannot be known, so nothing is made or granted).
    /// </summary>
    public static (IReadOnlyList<PlatformTenant> Tenants, IReadOnlyList<Problem> Problems) On(FleetReport fleet, string platformStack) =>
        fleet.IsValid
            ? ([.. fleet.Members.Where(m => m.Tenant.Platform.StackName == platformStack)
                .Select(m => new PlatformTenant(m.Tenant.Slug, m.Tenant.Names.Namespace, m.Tenant.Names.ResourceGroup, m.Tenant.Azure?.Location, m.Tenant.Names.Labels))
                .OrderBy(t => t.Slug, StringComparer.Ordinal)], [])
            : ([], [.. fleet.Problems]);

    /// <summary>The repository that holds <paramref name="directory"/>: the nearest folder upwards with the platform project in it.</summary>
    public static string RepositoryRoot(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, PlatformWorkspace.ProjectFolder, ProjectWorkspace.ProjectFileName)))
            {
                return dir.FullName;
            }
        }
        throw new InvalidConfigurationException([new Problem(directory, "(workspace)",
            $"No {PlatformWorkspace.ProjectFolder} here or in any folder above: the platform cannot read the tenant stack files.",
            "Run the platform program inside a clone of the OS2BorgerPC.Deploy repository.")]);
    }
}
