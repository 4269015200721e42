using System.Text.Json;
using System.Text.Json.Serialization;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>How a restore drill ended: the restore and both checks passed, or something failed.</summary>
public enum DrillVerdict
{
    Passed,
    Failed,
}

/// <summary>One restore drill of a tenant into the drill tenant (.github/workflows/restore-drill.yml).</summary>
public sealed record DrillResult(string Tenant, DateTimeOffset Date, int DurationSeconds, DrillVerdict Result, string? Detail = null);

/// <summary>
/// The monthly restore drill, as decisions: which tenant this month's drill restores, and the drill results
/// <c>fleet status --drills</c> reads. The drill workflow writes one result per run (<see cref="ResultFile"/>):
/// <code>{ "tenant": "aarhus", "date": "2026-03-01T05:10:00Z", "durationSeconds": 812, "result": "passed" }</code>
/// (<c>result</c> passed or failed; <c>detail</c> optional, why it failed); the drills file is those results in one
/// JSON array, any order, the newest per tenant counting.
/// </summary>
public static class RestoreDrills
{
    public const string ResultFile = "drill-result.json";

    public const string DefaultFile = "drill-results.json";

    /// <summary>The scratch tenant every drill restores into: it must exist and be unused ('tenant new', never a PC registered).</summary>
    public const string DrillTenant = "restore-drill";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter<DrillVerdict>(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>
    /// This month's tenant: the fleet sorted by slug (ordinal), the drill tenant left out, taken in turn by the months
    /// counted since year 0, so each tenant is drilled once every fleet-size months and a change of the fleet moves the
    /// turn by at most the tenants added or removed before it.
    /// </summary>
    public static string TenantFor(IEnumerable<string> fleet, int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        var sorted = fleet.Where(slug => slug != DrillTenant).Distinct().Order(StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            throw new InvalidOperationException($"There is no tenant to drill: the fleet (stacks/) holds none besides {DrillTenant}.");
        }
        return sorted[(year * 12 + month - 1) % sorted.Count];
    }

    /// <summary>The newest drill of each tenant in <paramref name="json"/>, or the problem that kept them from being read.</summary>
    /// <param name="file">The file as messages name it.</param>
    public static (IReadOnlyDictionary<string, DrillResult>? Latest, Problem? Problem) Parse(string json, string file)
    {
        try
        {
            var results = JsonSerializer.Deserialize<List<DrillResult>>(json, Options);
            if (results is null)
            {
                return (null, Invalid(file, "it is not an array of drill results"));
            }
            return (results.GroupBy(r => r.Tenant, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Date)!, StringComparer.Ordinal), null);
        }
        catch (JsonException e)
        {
            return (null, Invalid(file, e.Message));
        }
    }

    private static Problem Invalid(string file, string why) => new(file, "(file)", $"is not a drill results file: {why}.",
        "Make it from the restore-drill workflow's drill-result.json artifacts (jq -s . */drill-result.json), or leave --drills out.");
}
