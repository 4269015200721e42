using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using static OS2BorgerPC.Deploy.Testing.FleetStatusSamples;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// <c>fleet status --html</c>'s page for a fleet of 98 tenants, opened from disk by headless Chromium (Debian's
/// package): the DOM the browser built, and a screenshot of what it drew.
/// </summary>
public sealed class FleetStatusPageInBrowserTests : IDisposable
{
    private const int Tenants = 98;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("os2bpc-status-page-");
    private readonly FleetStatusReport _report = LargeFleet(Tenants);
    private readonly string _page;

    public FleetStatusPageInBrowserTests()
    {
        _page = Path.Combine(_folder.FullName, "fleet-status.html");
        File.WriteAllText(_page, FleetStatusPage.Render(_report));
    }

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void The_browser_shows_the_counts_first_then_the_tenants_that_need_attention_then_the_healthy_ones()
    {
        var page = new HtmlParser().ParseDocument(Chromium("--dump-dom").Output);

        page.QuerySelector("#summary")!.TextContent.ShouldBe(
            "98 tenants: 93 healthy, 5 need attention; backup stale or missing: 2; version not the stack file's: 1; not deployed from main: 1; " +
            "certificate expiring or unknown: 1; pods not ready: 1");
        var positions = new[] { "#summary", "#attention", "#healthy", "#backup-age" }.Select(s => Position(page, s)).ToList();
        positions.ShouldBe(positions.Order());

        var attention = page.QuerySelectorAll("#attention tbody tr");
        attention.Select(r => r.GetAttribute("data-tenant")).ShouldBe(["kommune-64", "kommune-07", "kommune-31", "kommune-52", "kommune-88"]);
        attention.Select(r => $"{r.GetAttribute("data-tenant")}: {string.Join(", ", r.QuerySelectorAll("li").Select(li => li.GetAttribute("data-check")))}")
            .ShouldBe(LargeFleetProblems.Select(p => $"{p.Key}: {string.Join(", ", p.Value.Select(c => c.ToString().ToLowerInvariant()))}"), ignoreOrder: true);
        var healthy = page.QuerySelectorAll("#healthy li").Select(li => li.GetAttribute("data-tenant")!).ToList();
        healthy.Count.ShouldBe(Tenants - LargeFleetProblems.Count);
        healthy.Concat(attention.Select(r => r.GetAttribute("data-tenant")!)).Order(StringComparer.Ordinal)
            .ShouldBe(Enumerable.Range(1, Tenants).Select(i => $"kommune-{i:00}"));
    }

    [Fact]
    public void Each_problem_is_on_the_page_once_and_markup_in_a_reason_stays_text()
    {
        var page = new HtmlParser().ParseDocument(Chromium("--dump-dom").Output);
        var text = page.Body!.TextContent;

        var messages = _report.Tenants.SelectMany(t => t.Attention).Select(a => a.Message).ToList();
        messages.Count.ShouldBe(6);
        foreach (var message in messages)
        {
            ((text.Length - text.Replace(message, "", StringComparison.Ordinal).Length) / message.Length).ShouldBe(1, message);
        }
        page.QuerySelector("#attention tr[data-tenant='kommune-31'] li")!.TextContent.ShouldBe("no successful backup found: no backup Job has <b>succeeded</b>");
        page.QuerySelectorAll("b, script, link, img, iframe").ShouldBeEmpty();
    }

    [Fact]
    public void The_browser_draws_the_page()
    {
        var screenshot = Path.Combine(_folder.FullName, "fleet-status.png");

        Chromium($"--screenshot={screenshot}", "--window-size=1280,2000");

        var png = File.ReadAllBytes(screenshot);
        png[..8].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
        // IHDR, the first chunk: width and height, big-endian, at bytes 16 and 20 (PNG specification, section 11.2.2).
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)).ShouldBe(1280);
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)).ShouldBe(2000);
        // A blank 1280×2000 page compresses to a few kB; text, tables and bars make it much larger.
        png.Length.ShouldBeGreaterThan(40_000);
    }

    /// <summary>
    /// Headless Chromium on the page file, in a fresh profile, without the sandbox (the tests run as root in a
    /// container), and without reaching out to the network on its own. --dump-dom (the DOM after load, on stdout) and
    /// --screenshot (a PNG of --window-size) are headless Chromium's own switches (chromium/src
    /// components/headless/command_handler/headless_command_switches.cc; checked here on Debian 12's chromium 156).
    /// </summary>
    private ProgramRun Chromium(params string[] arguments) => RealProgram.Find("chromium", "chromium").Run(
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", $"--user-data-dir={_folder.CreateSubdirectory("profile").FullName}",
        .. arguments, new Uri(_page).AbsoluteUri,
    ]).ShouldSucceed();

    private static int Position(IDocument page, string selector) =>
        page.Body!.QuerySelectorAll("*").ToList().IndexOf(page.QuerySelector(selector) ?? throw new ShouldAssertException($"{selector} is not on the page"));
}
