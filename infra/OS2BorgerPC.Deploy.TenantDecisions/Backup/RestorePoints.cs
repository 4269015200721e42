using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

public enum BackupKind
{
    Nightly,

    /// <summary>Taken before the admin site's version changed: kept until the next upgrade plus the retention window.</summary>
    PreUpgrade,
}

/// <summary>
/// One complete off-site backup (a restic snapshot of templates/backup.sh), by the name the script gives it:
/// <c>nightly-&lt;UTC stamp&gt;</c> or <c>pre-upgrade-&lt;admin-site version&gt;-&lt;UTC stamp&gt;</c>.
/// </summary>
public sealed partial record RestorePoint(string Name, BackupKind Kind, string? Version, DateTimeOffset TakenAt)
{
    public const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static RestorePoint? Parse(string name)
    {
        var match = NamePattern().Match(name);
        if (!match.Success || !DateTimeOffset.TryParseExact(match.Groups["stamp"].Value, StampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return null;
        }
        return match.Groups["version"].Success
            ? new(name, BackupKind.PreUpgrade, match.Groups["version"].Value, at)
            : new(name, BackupKind.Nightly, null, at);
    }

    /// <summary>
    /// The restore points in <c>restic snapshots --json</c> output, oldest first: snapshots carrying a
    /// <c>name:</c> tag the kit gave; anything else in the repository is ignored.
    /// </summary>
    public static IReadOnlyList<RestorePoint> FromResticSnapshots(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray()
            .SelectMany(snapshot => snapshot.TryGetProperty("tags", out var tags) ? tags.EnumerateArray().Select(tag => tag.GetString() ?? "") : [])
            .Where(tag => tag.StartsWith("name:", StringComparison.Ordinal))
            .Select(tag => Parse(tag["name:".Length..]))
            .OfType<RestorePoint>()
            .OrderBy(point => point.TakenAt)];
    }

    [GeneratedRegex(@"^(?:nightly|pre-upgrade-(?<version>[A-Za-z0-9._]+))-(?<stamp>\d{8}T\d{6}Z)$")]
    private static partial Regex NamePattern();
}

/// <summary>What <c>tenant backups</c> shows: the restore points and how old the newest complete backup is.</summary>
public sealed record BackupOverview(IReadOnlyList<RestorePoint> Points, TimeSpan? LastBackupAge, bool Overdue)
{
    /// <summary>A nightly schedule missed once is worth a look; twice is an alarm. The age says which.</summary>
    public static readonly TimeSpan OverdueAfter = TimeSpan.FromHours(26);

    public static BackupOverview Of(IReadOnlyList<RestorePoint> points, DateTimeOffset now)
    {
        TimeSpan? age = points.Count == 0 ? null : now - points.Max(point => point.TakenAt);
        return new(points, age, age is null || age > OverdueAfter);
    }
}
