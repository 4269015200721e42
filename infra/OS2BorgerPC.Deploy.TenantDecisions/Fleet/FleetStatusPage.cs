using System.Globalization;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>A row of a bar chart, in SVG user units (numbers already in invariant text).</summary>
public sealed record ChartRow(string Y, string TextY, string Width, string CountX, string Label, int Tenants, bool Attention);

/// <summary>A horizontal bar chart: one row per band, its length the number of tenants in it.</summary>
public sealed record BarChart(string Id, string Description, string Width, string Height, string BarX, string BarHeight, IReadOnlyList<ChartRow> Rows);

/// <summary>
/// The fleet status as one self-contained HTML page (templates/fleet-status.html.scriban), laid out as
/// <see cref="FleetStatusOverview"/> decides: the counts, the tenants that need attention with each problem once,
/// the healthy tenants one compact line each, and two bar charts (backup age, running version) drawn here as
/// plain SVG rectangles: no script, no font, no network.
/// </summary>
public static class FleetStatusPage
{
    public const string Template = "fleet-status.html.scriban";

    internal const double RowHeight = 22, LabelWidth = 120, BarSpace = 400, CountSpace = 40;

    public static string Render(FleetStatusReport report)
    {
        var now = report.GeneratedAt;
        var overview = FleetStatusOverview.Of(report);
        return TemplateRenderer.Render(Template, new
        {
            GeneratedAt = now.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            MainCommit = report.MainCommit is null ? FleetStatusReport.Unknown : FleetStatusAssessment.Short(report.MainCommit),
            report.Thresholds.BackupMaxAgeHours,
            report.Thresholds.CertificateMinDays,
            overview.Headline,
            Problems = overview.Problems.Select(p => new { Check = Name(p.Check), p.Label, p.Tenants }).ToList(),
            Attention = overview.NeedAttention.Select(t => new
            {
                t.Observation.Tenant,
                t.Observation.Url,
                Version = t.RunningVersion,
                Facts = Facts(t, now),
                Problems = t.Attention.Select(a => new { Check = Name(a.Check), a.Message }).ToList(),
            }).ToList(),
            Healthy = overview.Healthy.Select(t => new
            {
                t.Observation.Tenant,
                t.Observation.Url,
                Version = t.RunningVersion,
                Backup = FleetStatusCells.Of(t, now).Single(c => c.Column == FleetStatusCells.LastBackupColumn).Text,
                Facts = Facts(t, now),
            }).ToList(),
            Charts = new[]
            {
                Chart("backup-age", "Tenants by the age of their last successful backup", overview.BackupAges),
                Chart("version-spread", "Tenants by the admin-site version they run", overview.Versions),
            },
        });
    }

    /// <summary>Every fact gathered about a tenant in one line, for its hover text: "version (wanted): 7.1.0; ...; drift: clean".</summary>
    internal static string Facts(TenantStatus tenant, DateTimeOffset now) => string.Join("; ", FleetStatusCells.Of(tenant, now)
        .Where(c => c.Column is not (FleetStatusCells.TenantColumn or FleetStatusCells.UrlColumn))
        .Select(c => c.Why is null ? $"{c.Column}: {c.Text}" : $"{c.Column}: {c.Text} ({c.Why})"));

    /// <summary>One row per band, its bar's length the band's tenants against the largest band's.</summary>
    internal static BarChart Chart(string id, string description, IReadOnlyList<Band> bands)
    {
        var most = Math.Max(1, bands.Select(b => b.Tenants).DefaultIfEmpty(0).Max());
        var rows = bands.Select((b, i) =>
        {
            var width = BarSpace * b.Tenants / most;
            return new ChartRow(Number(i * RowHeight + 2), Number(i * RowHeight + 15), Number(width), Number(LabelWidth + width + 6), b.Label, b.Tenants, b.Attention);
        }).ToList();
        return new BarChart(id, description, Number(LabelWidth + BarSpace + CountSpace), Number(Math.Max(1, rows.Count) * RowHeight + 4),
            Number(LabelWidth), Number(RowHeight - 6), rows);
    }

    private static string Name(StatusCheck check) => check.ToString().ToLowerInvariant();

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
