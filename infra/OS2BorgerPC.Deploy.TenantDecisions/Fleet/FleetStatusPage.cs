using System.Globalization;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>A bar of a chart, in SVG user units (numbers already in invariant text), with its hover text.</summary>
public sealed record ChartBar(string X, string Y, string Width, string Height, string Label, string Title, bool Attention);

/// <summary>
/// The fleet status as one self-contained HTML page (templates/fleet-status.html.scriban): the table, colour
/// where a tenant needs attention, and two SVG charts (backup age per tenant, tenants per running version)
/// drawn here as plain rectangles: no script, no font, no network.
/// </summary>
public static class FleetStatusPage
{
    public const string Template = "fleet-status.html.scriban";

    // The backup chart: one column per tenant.
    internal const double ChartWidth = 900, ChartHeight = 200, ChartLeft = 40, ChartTop = 10;

    // The version chart: one row per version.
    internal const double RowHeight = 22, LabelWidth = 90, BarSpace = 600;

    public static string Render(FleetStatusReport report)
    {
        var now = report.GeneratedAt;
        var rows = report.Tenants.Select(t => new
        {
            t.Observation.Tenant,
            t.Observation.Url,
            Cells = FleetStatusCells.Of(t, now),
            t.NeedsAttention,
            Attention = t.Attention.Select(a => a.Message).ToList(),
        }).ToList();
        var (scale, backups) = BackupBars(report);
        var versions = VersionBars(report);
        return TemplateRenderer.Render(Template, new
        {
            GeneratedAt = now.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            MainCommit = report.MainCommit is null ? FleetStatusReport.Unknown : FleetStatusAssessment.Short(report.MainCommit),
            report.Thresholds.BackupMaxAgeHours,
            report.Thresholds.CertificateMinDays,
            Columns = FleetStatusCells.Columns,
            Rows = rows,
            NeedAttention = rows.Count(r => r.NeedsAttention),
            Total = rows.Count,
            BackupBars = backups,
            BackupChartWidth = Number(ChartLeft + ChartWidth),
            BackupChartHeight = Number(ChartTop + ChartHeight + 20),
            BackupAxisX = Number(ChartLeft),
            BackupAxisBottom = Number(ChartTop + ChartHeight),
            ThresholdY = Number(ChartTop + ChartHeight * (1 - report.Thresholds.BackupMaxAgeHours / scale)),
            ScaleHours = (int)scale,
            VersionBars = versions,
            VersionChartHeight = Number(Math.Max(1, versions.Count) * RowHeight + 4),
            VersionChartWidth = Number(LabelWidth + BarSpace + 60),
        });
    }

    /// <summary>
    /// One column per tenant, its height the backup's age in hours on a scale of twice the threshold (older ones
    /// reach the top); a tenant without a known backup gets a full column. Columns over the threshold are marked.
    /// </summary>
    internal static (double ScaleHours, IReadOnlyList<ChartBar> Bars) BackupBars(FleetStatusReport report)
    {
        double scale = 2 * report.Thresholds.BackupMaxAgeHours;
        var width = ChartWidth / Math.Max(1, report.Tenants.Count);
        var bars = report.Tenants.Select((t, i) =>
        {
            var age = t.BackupAgeHours(report.GeneratedAt);
            var height = ChartHeight * Math.Min(1, (age ?? scale) / scale);
            return new ChartBar(Number(ChartLeft + i * width + width * 0.1), Number(ChartTop + ChartHeight - height), Number(width * 0.8), Number(height),
                t.Observation.Tenant,
                age is { } hours ? $"{t.Observation.Tenant}: last backup {FleetStatusAssessment.Age(TimeSpan.FromHours(hours))} ago" : $"{t.Observation.Tenant}: no successful backup found",
                t.Flags(StatusCheck.Backup));
        }).ToList();
        return (scale, bars);
    }

    /// <summary>One row per running version, its length the number of tenants that run it.</summary>
    internal static IReadOnlyList<ChartBar> VersionBars(FleetStatusReport report)
    {
        var spread = report.VersionSpread();
        var most = spread.Count == 0 ? 1 : spread.Max(v => v.Tenants);
        return spread.Select((v, i) => new ChartBar(Number(LabelWidth), Number(i * RowHeight + 2), Number(BarSpace * v.Tenants / most), Number(RowHeight - 6),
            v.Version, $"{v.Tenants} tenant{(v.Tenants == 1 ? "" : "s")} run {v.Version}", v.Version == FleetStatusReport.Unknown)).ToList();
    }

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
