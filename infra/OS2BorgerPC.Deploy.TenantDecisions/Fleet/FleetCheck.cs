using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>A valid tenant and the stack file it came from.</summary>
public sealed record FleetMember(string StackFile, Tenant Tenant);

/// <summary>
/// Rules that span tenants: no two may share a slug, host, namespace or any Azure name, no
/// municipality may be served by two tenants, and a drill reads the backups of a tenant on its own platform.
/// </summary>
public static class FleetCheck
{
    private static readonly (string What, string Key, Func<Tenant, string> Name)[] UniqueNames =
    [
        ("slug", "slug", t => t.Slug),
        ("host name", "host", t => t.Host),
        ("Kubernetes namespace", "slug", t => t.Names.Namespace),
        ("Azure resource group", "slug", t => t.Names.ResourceGroup),
        ("PostgreSQL server name", "slug", t => t.Names.PostgresServer),
        ("storage account name", "slug", t => t.Names.StorageAccount),
        ("media share name", "slug", t => t.Names.MediaShare),
        ("backup share name", "slug", t => t.Names.BackupShare),
    ];

    /// <summary>
    /// Every clash, reported against the later of two members in the given order (the first keeps the name),
    /// so a tenant being added last is the one reported.
    /// </summary>
    public static IReadOnlyList<Problem> Clashes(IEnumerable<FleetMember> members)
    {
        var fleet = members.ToList();
        var problems = new List<Problem>();
        foreach (var (what, key, name) in UniqueNames)
        {
            foreach (var group in fleet.GroupBy(m => name(m.Tenant)).Where(g => g.Count() > 1))
            {
                var first = group.First();
                problems.AddRange(group.Skip(1).Select(m => new Problem(m.StackFile, TenantKey(key),
                    $"The {what} '{group.Key}' is also that of tenant '{first.Tenant.Slug}' ({first.StackFile}).",
                    key == "host" ? "Give each tenant its own host name." : "Give each tenant its own slug: every platform name is derived from it.")));
            }
        }
        var claims = fleet.SelectMany(m => m.Tenant.MunicipalityCodes.Select(code => (code, m)));
        foreach (var group in claims.GroupBy(c => c.code).Where(g => g.Count() > 1))
        {
            var first = group.First().m;
            problems.AddRange(group.Skip(1).Select(c => new Problem(c.m.StackFile, TenantKey("municipalityCodes"),
                $"Municipality {group.Key} is also served by tenant '{first.Tenant.Slug}' ({first.StackFile}).",
                "A municipality's data lives in exactly one tenant: remove the code from one of them.")));
        }
        problems.AddRange(DrillSources(fleet));
        return problems;
    }

    /// <summary>A drill's source must be a tenant of the fleet whose backups are in the same store: the same platform.</summary>
    private static IEnumerable<Problem> DrillSources(IReadOnlyList<FleetMember> fleet)
    {
        var bySlug = fleet.GroupBy(m => m.Tenant.Slug).ToDictionary(g => g.Key, g => g.First().Tenant);
        foreach (var member in fleet.Where(m => m.Tenant.Backup.DrillFrom is not null))
        {
            var from = member.Tenant.Backup.DrillFrom!;
            if (!bySlug.TryGetValue(from, out var source))
            {
                yield return new Problem(member.StackFile, ConfigKeys.BackupDrillFrom, $"names '{from}', which is not a tenant of the fleet.",
                    "Name the slug of the tenant whose backups the drill restores (tenant list), or remove the key.");
            }
            else if (source.Platform.Stack != member.Tenant.Platform.Stack)
            {
                yield return new Problem(member.StackFile, ConfigKeys.BackupDrillFrom,
                    $"names '{from}', which runs on platform '{source.Platform.Stack}', not on '{member.Tenant.Platform.Stack}': its backups are in another store.",
                    "Drill into a tenant on the source's own platform.");
            }
        }
    }

    private static string TenantKey(string key) => $"{ConfigKeys.Qualified(ConfigKeys.TenantKey)}.{key}";
}
