using System.Globalization;
using System.Text.Json;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>
/// A setting Azure cannot change in place: a new value replaces a protected, locked resource (so <c>pulumi up</c>
/// fails half-way), and replacing it would start from an empty database anyway.
/// </summary>
/// <param name="Key">The stack-file key (or the kit's constant) that decides it.</param>
/// <param name="Why">What the change would replace.</param>
/// <param name="Value">The tenant's value as text; null where the setting does not apply (e.g. Azure keys of a kubernetes tenant).</param>
/// <param name="Allows">Whether a change from the deployed value (first) to the new one (second) is still in place; null: only an equal value is.</param>
public sealed record ImmutableSetting(string Key, string Why, Func<Tenant, string?> Value, Func<string, string, bool>? Allows = null);

/// <summary>
/// The tenant settings fixed once deployed. The program exports their values as the stack output
/// <see cref="OutputName"/>; <c>tenant check --against</c> compares a stack file with those deployed values
/// and names the migration path instead of letting <c>pulumi up</c> fail.
/// </summary>
public static class ImmutableSettings
{
    public const string OutputName = "immutableSettings";

    public static readonly IReadOnlyList<ImmutableSetting> All =
    [
        new("hosting", "moves the database and the volumes between the cluster and Azure: new, empty ones",
            t => t.Hosting.ToString().ToLowerInvariant()),
        new("fleetId", "renames the PostgreSQL server and the storage account (their globally unique names derive from it)",
            t => t.Azure is null ? null : $"{t.Names.PostgresServer} {t.Names.StorageAccount}"),
        new("azure.location", "Azure moves neither a PostgreSQL server nor a storage account to another region",
            t => t.Azure?.Location),
        new("azure.postgresVersion", "a major-version change of the kit's AzureSettings.PostgresVersion replaces the server (no in-place major upgrade is configured)",
            t => t.Azure is null ? null : AzureSettings.PostgresVersion),
        new("azure.delegatedSubnetId", "private access or firewall access, and the delegated subnet and DNS zone, are fixed when the server is created",
            t => t.Azure?.DatabaseNetwork switch
            {
                AzureDatabaseNetwork.Private p => $"private {p.DelegatedSubnetId} {p.PrivateDnsZoneId}",
                AzureDatabaseNetwork.Firewall => "firewall",
                _ => null,
            }),
        new("azure.geoRedundantBackup", "geo-redundant backup is fixed when the server is created",
            t => t.Azure is null ? null : t.Azure.GeoRedundantBackup ? "true" : "false"),
        new("size", "a flexible server's storage only grows: a smaller tier's storageMb replaces the server",
            t => t.Azure is null ? null : t.Size.AzureDatabase.StorageMb.ToString(CultureInfo.InvariantCulture),
            (deployed, wanted) => int.TryParse(deployed, CultureInfo.InvariantCulture, out var before)
                && int.TryParse(wanted, CultureInfo.InvariantCulture, out var after) && after >= before),
    ];

    /// <summary>The values the program exports as <see cref="OutputName"/>.</summary>
    public static IReadOnlyDictionary<string, string> Values(Tenant tenant) =>
        All.Select(s => (s.Key, Value: s.Value(tenant))).Where(s => s.Value is not null)
            .ToDictionary(s => s.Key, s => s.Value!, StringComparer.Ordinal);

    /// <summary>Each immutable setting whose value in <paramref name="tenant"/> differs from the deployed one, with the way to get there.</summary>
    public static IReadOnlyList<Problem> Compare(string file, Tenant tenant, IReadOnlyDictionary<string, string> deployed)
    {
        var problems = new List<Problem>();
        foreach (var setting in All)
        {
            var wanted = setting.Value(tenant);
            // A setting that no longer applies (Azure keys after a hosting change) is covered by the change that dropped it.
            if (wanted is null || !deployed.TryGetValue(setting.Key, out var before) || before == wanted
                || setting.Allows?.Invoke(before, wanted) == true)
            {
                continue;
            }
            problems.Add(new Problem(file, ConfigKeys.Qualified($"{ConfigKeys.TenantKey}.{setting.Key}"),
                $"changes from '{before}' (deployed) to '{wanted}', but cannot change in place: it {setting.Why}.",
                $"Set it back to the deployed value, or migrate: create a new tenant with the new value ('tenant new ... --slug {tenant.Slug}-2'), " +
                $"move the data in from a backup of '{tenant.Slug}' with 'tenant import' (docs/RUNBOOK.md, \"Moving in an existing installation\"), " +
                "point DNS at it, then offboard the old stack (docs/RUNBOOK.md, \"Offboarding a tenant\")."));
        }
        return problems;
    }

    /// <summary>Every immutable-setting change across the fleet's valid stacks that have deployed values.</summary>
    public static IReadOnlyList<Problem> Check(IEnumerable<FleetEntry> entries, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> deployed) =>
        [.. entries.Where(e => e.Result.Tenant is not null && deployed.ContainsKey(e.Stack))
            .SelectMany(e => Compare(e.StackFile, e.Result.Tenant!, deployed[e.Stack]))];

    /// <summary>
    /// Reads the deployed values from <c>{"&lt;stack&gt;": &lt;pulumi stack output --json&gt;, ...}</c>. A stack
    /// without the output (deployed before the kit exported it) is left out: nothing to compare with.
    /// </summary>
    public static (IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? Deployed, string? Error) ReadOutputs(string json, string file)
    {
        const string shape = "expected a JSON object of stack name to its 'pulumi stack output --json'.";
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, $"{file}: {shape}");
            }
            var deployed = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            foreach (var stack in document.RootElement.EnumerateObject())
            {
                if (stack.Value.ValueKind != JsonValueKind.Object)
                {
                    return (null, $"{file}: {stack.Name}: {shape}");
                }
                if (stack.Value.TryGetProperty(OutputName, out var values) && values.ValueKind == JsonValueKind.Object)
                {
                    deployed[stack.Name] = values.EnumerateObject().Where(v => v.Value.ValueKind == JsonValueKind.String)
                        .ToDictionary(v => v.Name, v => v.Value.GetString()!, StringComparer.Ordinal);
                }
            }
            return (deployed, null);
        }
        catch (JsonException e)
        {
            return (null, $"{file}: not JSON ({e.Message}).");
        }
    }
}
