using System.Text.Json;
using System.Text.Json.Serialization;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>How a restore drill ended: the restore and both checks passed, or something failed.</summary>
public enum DrillVerdict
{
    Passed,
    Failed,
}

/// <summary>How the drill tenant reads the drilled tenant's backups (<c>fleet drill --access</c>, restore-drill.yml).</summary>
public enum DrillAccess
{
    /// <summary>An S3 store: the restore lends the source's own key for the restore only; nothing is granted.</summary>
    LentKey,

    /// <summary>
    /// An Azure Blob store: a workload identity cannot be lent, so for the drill's run the drill tenant's stack names the
    /// source in backup.drillFrom and a <c>pulumi up</c> makes a drill-reader identity with read on the source's container,
    /// which only the restore Jobs' ServiceAccount can act as (<see cref="Backup.RestoreJob.ServiceAccountOf"/>); a second
    /// <c>pulumi up</c> of the committed stack file deletes that identity, and the access with it. The role under the
    /// backup account's CanNotDelete lock is never deleted, only forgotten: it stays naming a deleted principal.
    /// </summary>
    DrillFrom,
}

/// <summary>One restore drill of a tenant into the drill tenant (.github/workflows/restore-drill.yml).</summary>
public sealed record DrillResult(string Tenant, DateTimeOffset Date, int DurationSeconds, DrillVerdict Result, string? Detail = null);

/// <summary>
/// The restore drills, as decisions: which tenants a month drills and on which day, and the drill results
/// <c>fleet status --drills</c> reads. Coverage: every tenant at least once a year. A month drills
/// <see cref="PerMonth"/> tenants (ceil(fleet / 12): 9 for 98), one a day from <see cref="FirstDrillDay"/>, each in a
/// run of its own: a drill of a full large tenant may take up to its 4-hour recovery time objective (RecoveryObjectives;
/// the measured pace scales to ~1.6 h), so nine one after another could take longer than a GitHub-hosted job may run
/// (6 h), and there is one drill tenant, so they cannot run side by side. The drill workflow writes one result per run
/// (<see cref="ResultFile"/>):
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

    /// <summary>The first day of a month the drill workflow runs (after the night's backups); the month's drills follow one a day.</summary>
    public const int FirstDrillDay = 3;

    /// <summary>The last day of a month the drill workflow runs: twelve days, enough for a fleet of 144 tenants a year.</summary>
    public const int LastDrillDay = 14;

    /// <summary>
    /// How old a tenant's last drill may be before <c>fleet status</c> flags it: the yearly turn plus a month's slack
    /// (a drill that failed on its day and was run again later, a fleet change that moved the turn).
    /// </summary>
    public const int MaxDrillAgeMonths = 13;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter<DrillVerdict>(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The drills a month makes for a fleet of <paramref name="tenants"/>: each tenant at least once in twelve months.</summary>
    public static int PerMonth(int tenants) => (tenants + 11) / 12;

    /// <summary>
    /// The month's tenants, in the order of their days: the fleet sorted by slug (ordinal), the drill tenant left out,
    /// taken in turn, <see cref="PerMonth"/> a month from the months counted since year 0. Twelve months in a row take
    /// twelve times <see cref="PerMonth"/> consecutive tenants of the turn, so each is drilled within any twelve
    /// months; a change of the fleet moves the turn by at most the tenants added or removed before it.
    /// </summary>
    public static IReadOnlyList<string> TenantsFor(IEnumerable<string> fleet, int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        var sorted = fleet.Where(slug => slug != DrillTenant).Distinct().Order(StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            throw new InvalidOperationException($"There is no tenant to drill: the fleet (stacks/) holds none besides {DrillTenant}.");
        }
        var perMonth = PerMonth(sorted.Count);
        var days = LastDrillDay - FirstDrillDay + 1;
        if (perMonth > days)
        {
            throw new InvalidOperationException($"A fleet of {sorted.Count} tenants needs {perMonth} drills a month, more than the " +
                $"drill workflow's {days} days ({FirstDrillDay}-{LastDrillDay}): widen RestoreDrills' days and restore-drill.yml's schedule together.");
        }
        var start = (year * 12 + month - 1) * (long)perMonth;
        return [.. Enumerable.Range(0, perMonth).Select(i => sorted[(int)((start + i) % sorted.Count)])];
    }

    /// <summary>The tenant the drill of <paramref name="day"/> restores, or null where no drill falls on that day.</summary>
    public static string? TenantOn(IEnumerable<string> fleet, DateOnly day)
    {
        var month = TenantsFor(fleet, day.Year, day.Month);
        var slot = day.Day - FirstDrillDay;
        return slot >= 0 && slot < month.Count ? month[slot] : null;
    }

    /// <summary>
    /// How the drill tenant may read <paramref name="source"/>'s backups, where its platform keeps them in a
    /// <paramref name="backup"/> store; or why the drill cannot restore it: a tenant of another platform has its backups
    /// in another store and its CronJob in another cluster (FleetCheck refuses such a backup.drillFrom too).
    /// </summary>
    public static (DrillAccess? Access, string? Refusal) AccessTo(Tenant drill, Tenant source, BackupTargetKind backup)
    {
        if (source.Platform.Stack != drill.Platform.Stack)
        {
            return (null, $"{source.Slug} runs on platform '{source.Platform.Stack}', the drill tenant {drill.Slug} on '{drill.Platform.Stack}': " +
                $"a drill restores only from its own platform's store and cluster. Drill {source.Slug} by hand into a tenant on its platform ({ConfigKeys.BackupDrillFrom}, tenant restore --into).");
        }
        return (backup == BackupTargetKind.AzureBlob ? DrillAccess.DrillFrom : DrillAccess.LentKey, null);
    }

    /// <summary>The access as <c>fleet drill --access</c> prints it and restore-drill.yml compares it: its name in camel case.</summary>
    public static string AccessName(DrillAccess access) => JsonNamingPolicy.CamelCase.ConvertName(access.ToString());

    /// <summary>Whether a tenant's last drill, on <paramref name="drilled"/>, is more than <see cref="MaxDrillAgeMonths"/> months before <paramref name="now"/>.</summary>
    public static bool IsOverdue(DateTimeOffset drilled, DateTimeOffset now) => drilled.AddMonths(MaxDrillAgeMonths) < now;

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
