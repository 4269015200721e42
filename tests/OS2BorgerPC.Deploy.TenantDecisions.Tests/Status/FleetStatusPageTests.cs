using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using static OS2BorgerPC.Deploy.Testing.FleetStatusSamples;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Status;

/// <summary>The status page, read as a browser reads it (AngleSharp's HTML5 parser).</summary>
public sealed class FleetStatusPageTests
{
    private static IDocument Page(FleetStatusReport report) => new HtmlParser().ParseDocument(FleetStatusPage.Render(report));

    [Fact]
    public void The_counts_come_first_then_the_tenants_that_need_attention_then_the_healthy_ones()
    {
        var page = Page(Report(Healthy("aarhus"), Troubled("odense"), NotDeployed("vejle")));

        page.QuerySelector("#summary")!.TextContent.ShouldBe(
            "3 tenants: 1 healthy, 2 need attention; version not the stack file's: 2; backup stale or missing: 2; certificate expiring or unknown: 2; " +
            "pods not ready: 2; not deployed from main: 1; drift: 1; WAL archiving failing or unknown: 1; restore drill failed or overdue: 1");
        var positions = Positions(page, "#summary", "#attention", "#healthy");
        positions.ShouldBe(positions.Order());
        page.QuerySelectorAll("#attention tbody tr").Select(r => r.GetAttribute("data-tenant")).ShouldBe(["odense", "vejle"]);
        page.QuerySelectorAll("#healthy li").Select(r => r.GetAttribute("data-tenant")).ShouldBe(["aarhus"]);
        page.QuerySelector("#healthy li")!.TextContent.ShouldBe("aarhus7.1.0backup 4 h ago");
    }

    [Fact]
    public void Each_problem_is_said_once_by_its_tenant()
    {
        var report = Report(Healthy("aarhus"), Troubled("odense"), NotDeployed("vejle"));
        var page = Page(report);

        var odense = page.QuerySelectorAll("#attention tr[data-tenant='odense'] ul.problems li");
        odense.Select(li => li.GetAttribute("data-check")).ShouldBe(["version", "commit", "backup", "certificate", "pods", "archiving", "drift", "drill"]);
        odense.Select(li => li.TextContent).ShouldBe(report.Tenants[1].Attention.Select(a => a.Message));
        foreach (var message in report.Tenants.SelectMany(t => t.Attention).Select(a => a.Message))
        {
            Occurrences(page.Body!.TextContent, message).ShouldBe(1, message);
        }
    }

    [Fact]
    public void Every_fact_is_in_the_tenants_hover_text_unknown_ones_with_the_reason()
    {
        var page = Page(Report(Healthy("aarhus"), NotDeployed("vejle")));

        page.QuerySelector("#healthy li")!.GetAttribute("title").ShouldBe(
            "version (wanted): 7.1.0; version (running): 7.1.0; commit: 6a96d19567bf; last backup: 4 h ago; certificate: 60 days left; pods ready: 2/2; drift: clean; last drill: passed 2026-02-20, 14 min; ring: broad");
        page.QuerySelector("#attention tbody tr")!.GetAttribute("title")!.ShouldContain("commit: unknown (no stack 'vejle' in the Pulumi backend)");
    }

    [Fact]
    public void A_healthy_fleet_has_no_attention_table()
    {
        var page = Page(Report(Healthy("aarhus"), Healthy("odense")));

        page.QuerySelector("#attention").ShouldBeNull();
        page.QuerySelector("#summary")!.TextContent.ShouldBe("2 tenants: all healthy");
        page.QuerySelector("#summary")!.ClassList.ShouldNotContain("attention");
    }

    [Fact]
    public void The_charts_have_a_bar_per_backup_age_band_and_per_running_version()
    {
        var page = Page(LargeFleet(98));

        var ages = page.QuerySelectorAll("#backup-age g");
        ages.Select(b => b.GetAttribute("data-band")).ShouldBe(["0–6 h", "6–13 h", "13–19 h", "19–26 h", "over 26 h", "no backup found"]);
        ages.Select(b => b.QuerySelector("text.count")!.TextContent).Select(int.Parse).Sum().ShouldBe(98);
        ages.Select(b => b.QuerySelector("rect")!.ClassList.Contains("attention")).ShouldBe([false, false, false, false, true, true]);
        // The largest band fills the bar space; the others are in proportion.
        ages.Max(b => Width(b)).ShouldBe(FleetStatusPage.BarSpace);
        page.QuerySelectorAll("#version-spread g").Select(b => (b.GetAttribute("data-band"), b.QuerySelector("text.count")!.TextContent))
            .ShouldBe([("7.1.0", "97"), ("7.0.9", "1")]);
    }

    [Fact]
    public void The_page_needs_nothing_from_elsewhere_and_escapes_what_it_shows()
    {
        var page = Page(Report(Healthy("aarhus") with { Pods = Observed<PodReadiness>.Unknown("<script>alert(1)</script>") }));

        page.QuerySelectorAll("script, link, img, iframe, [src]").ShouldBeEmpty();
        page.QuerySelector("#attention li[data-check='pods']")!.TextContent.ShouldBe("pods unknown: <script>alert(1)</script>");
        page.QuerySelector("#attention tbody tr")!.GetAttribute("title")!.ShouldContain("pods ready: unknown (<script>alert(1)</script>)");
    }

    /// <summary>Where each element is in the page's document order (every one of them there).</summary>
    private static List<int> Positions(IDocument page, params string[] selectors)
    {
        var all = page.Body!.QuerySelectorAll("*").ToList();
        return [.. selectors.Select(s => all.IndexOf(page.QuerySelector(s) ?? throw new ShouldAssertException($"{s} is not on the page")))];
    }

    private static int Occurrences(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static double Width(IElement band) =>
        double.Parse(band.QuerySelector("rect")!.GetAttribute("width")!, System.Globalization.CultureInfo.InvariantCulture);
}
