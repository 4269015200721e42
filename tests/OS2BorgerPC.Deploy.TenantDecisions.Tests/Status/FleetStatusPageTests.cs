using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using static OS2BorgerPC.Deploy.TenantDecisions.Tests.Status.FleetStatusSamples;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Status;

/// <summary>The status page, read as a browser reads it (AngleSharp's HTML5 parser).</summary>
public sealed class FleetStatusPageTests
{
    private static IDocument Page(FleetStatusReport report) => new HtmlParser().ParseDocument(FleetStatusPage.Render(report));

    [Fact]
    public void One_row_per_tenant_with_attention_marked_on_the_failing_cells()
    {
        var page = Page(Report(Healthy("aarhus"), Troubled("odense"), NotDeployed("vejle")));

        var rows = page.QuerySelectorAll("#tenants tbody tr");
        rows.Select(r => r.GetAttribute("data-tenant")).ShouldBe(["aarhus", "odense", "vejle"]);
        rows.Select(r => r.ClassList.Contains("attention")).ShouldBe([false, true, true]);
        Marked(rows[0]).ShouldBeEmpty();
        Marked(rows[1]).ShouldBe(["tenant", "version (running)", "commit", "last backup", "certificate", "pods ready", "drift"]);
        Marked(rows[2]).ShouldBe(["tenant", "version (running)", "last backup", "certificate", "pods ready"]);
        Cell(rows[1], "last backup").ShouldBe("30 h ago");
        Cell(rows[2], "pods ready").ShouldBe("unknown (cluster unreachable)");
        rows[1].QuerySelectorAll("ul.why li").Length.ShouldBe(6);
        page.QuerySelector(".summary")!.TextContent.ShouldBe("2 of 3 tenants need attention.");
    }

    [Fact]
    public void The_charts_have_a_column_per_tenant_and_a_row_per_version()
    {
        var page = Page(Report(Healthy("aarhus"), Troubled("odense"), NotDeployed("vejle")));

        var backups = page.QuerySelectorAll("#backup-age rect");
        backups.Select(b => b.GetAttribute("data-tenant")).ShouldBe(["aarhus", "odense", "vejle"]);
        backups.Select(b => b.ClassList.Contains("attention")).ShouldBe([false, true, true]);
        // Four hours on a scale of 52: a short column; a missing backup fills the chart's height.
        double.Parse(backups[0].GetAttribute("height")!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(200 * 4 / 52.0, 0.1);
        backups[2].GetAttribute("height").ShouldBe("200");
        page.QuerySelectorAll("#version-spread rect").Select(r => r.GetAttribute("data-version")).ShouldBe(["7.1.0", "7.0.9", "unknown"]);
    }

    [Fact]
    public void The_page_needs_nothing_from_elsewhere_and_escapes_what_it_shows()
    {
        var page = Page(Report(Healthy("aarhus") with { Pods = Observed<PodReadiness>.Unknown("<script>alert(1)</script>") }));

        page.QuerySelectorAll("script, link, img, iframe, [src]").ShouldBeEmpty();
        Cell(page.QuerySelector("#tenants tbody tr")!, "pods ready").ShouldBe("unknown (<script>alert(1)</script>)");
    }

    private static string[] Marked(IElement row) =>
        row.QuerySelectorAll("td.attention").Select(c => c.GetAttribute("data-column") ?? "").ToArray();

    private static string Cell(IElement row, string column) => row.QuerySelector($"td[data-column='{column}']")!.TextContent;
}
