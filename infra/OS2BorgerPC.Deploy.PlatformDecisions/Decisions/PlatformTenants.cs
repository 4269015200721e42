using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>
/// The tenants on one platform, as the platform program learns them: the tenant stack files (stacks/Pulumi.&lt;slug&gt;.yaml)
/// whose <c>platform.stack</c> names it. The platform grants the CI identities their rights per tenant namespace from
/// this list, so a new tenant's file must reach the platform's <c>up</c> before the tenant's first <c>up</c>.
/// </summary>
public static class PlatformTenants
{
    /// <summary>
    /// The namespaces of the tenants on <paramref name="platformStack"/>, ordered; or, when any tenant file does not load,
    /// its problems (whom it names cannot be known, so nothing is granted).
    /// </summary>
    public static (IReadOnlyList<string> Namespaces, IReadOnlyList<Problem> Problems) Namespaces(FleetReport fleet, string platformStack) =>
        fleet.IsValid
            ? ([.. fleet.Members.Where(m => m.Tenant.Platform.StackName == platformStack).Select(m => m.Tenant.Names.Namespace).Order(StringComparer.Ordinal)], [])
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
