using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformDecisions.Tests.Support;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>The charts' upstream support: recorded end-of-life dates, the refusal of a pin past them, the override.</summary>
public sealed class ChartSupportTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static readonly HelmChart Sample = new("", "oci://example/chart", "v2.5.1")
    {
        Lines = [new("2.4", new DateOnly(2026, 3, 1), "a"), new("2.5", new DateOnly(2026, 9, 1), "b")],
    };

    /// <summary>Meant to fail on the day a pinned line ends: then pin a supported line (ChartVersions.cs).</summary>
    [Theory]
    [InlineData("envoyGateway")]
    [InlineData("certManager")]
    [InlineData("cloudNativePg")]
    public void The_kit_pins_a_line_upstream_still_supports_today(string key)
    {
        var state = ChartSupport.Of(key, ChartVersions.Pinned.ByKey.Single(c => c.Key == key).Chart, Today);

        state.Recorded.ShouldNotBeNull($"ChartVersions.cs records no end of life for {key}'s line {state.Line}: add it from the project's release page");
        state.Status.ShouldNotBe(SupportStatus.PastEndOfLife, state.Describe(Today));
    }

    [Theory]
    [InlineData("v2.5.1", "2026-06-01", SupportStatus.Supported)]
    [InlineData("v2.5.1", "2026-07-03", SupportStatus.EndingSoon)] // 60 days before 2026-09-01
    [InlineData("v2.5.1", "2026-07-02", SupportStatus.Supported)]
    [InlineData("v2.5.1", "2026-09-01", SupportStatus.PastEndOfLife)]
    [InlineData("v2.4.9", "2026-03-02", SupportStatus.PastEndOfLife)]
    [InlineData("v2.3.0", "2025-01-01", SupportStatus.PastEndOfLife)] // older than every recorded line
    [InlineData("v2.6.0", "2030-01-01", SupportStatus.Unknown)] // newer than every recorded line
    public void A_version_is_judged_by_its_lines_recorded_end_of_life(string version, string today, SupportStatus status) =>
        ChartSupport.Of("sample", Sample with { Version = version }, DateOnly.Parse(today)).Status.ShouldBe(status);

    [Fact]
    public void The_warning_names_the_line_its_date_the_days_left_and_the_source()
    {
        var state = ChartSupport.Of("sample", Sample, new DateOnly(2026, 8, 2));

        state.Describe(new DateOnly(2026, 8, 2)).ShouldBe("v2.5.1 is on the 2.5 line, whose upstream support ends on 2026-09-01, in 30 days (b).");
    }

    [Fact]
    public void A_stack_pin_past_its_lines_end_of_life_is_refused_naming_the_key_and_the_override() =>
        // Envoy Gateway v1.7 ended on 2026/08/05 (envoyproxy/gateway site/content/en/news/releases/matrix.md).
        PlatformStackFile.Azure().Set("charts", """{"envoyGateway": "v1.7.5"}""").Load()
            .ShouldReport("os2borgerpc-platform:platform.charts.envoyGateway", "list envoyGateway in os2borgerpc-platform:platform.charts.allowPastEndOfLife");

    [Fact]
    public void The_refusal_says_when_the_line_ended_and_where_upstream_says_so()
    {
        var problem = PlatformStackFile.Azure().Set("charts", """{"envoyGateway": "v1.7.5"}""").Load().Problems.Single();

        problem.Message.ShouldContain("v1.7.5 is on the 1.7 line, whose upstream support ended on 2026-08-05");
        problem.Message.ShouldContain("matrix.md");
        problem.Fix.ShouldContain($"e.g. {ChartVersions.Pinned.EnvoyGateway.Version} (the kit's pin)");
    }

    [Fact]
    public void A_pin_past_its_end_of_life_is_accepted_when_the_stack_allows_it_by_name()
    {
        var platform = PlatformStackFile.Azure().Set("charts", """{"envoyGateway": "v1.7.5", "allowPastEndOfLife": ["envoyGateway"]}""").Load().ShouldBeValid();

        platform.Charts.EnvoyGateway.Version.ShouldBe("v1.7.5");
    }

    [Fact]
    public void The_override_names_chart_keys_only() =>
        PlatformStackFile.Azure().Set("charts", """{"allowPastEndOfLife": ["envoy"]}""").Load()
            .ShouldReport("os2borgerpc-platform:platform.charts.allowPastEndOfLife", "List chart keys only: envoyGateway, certManager, cloudNativePg");

    [Fact]
    public void The_override_allows_only_the_chart_it_names() =>
        PlatformStackFile.Azure().Set("charts", """{"certManager": "v1.19.6", "allowPastEndOfLife": ["envoyGateway"]}""").Load()
            .ShouldReport("os2borgerpc-platform:platform.charts.certManager", "ended on 2026-07-08");

    [Fact]
    public void A_line_is_major_and_minor_with_or_without_the_v() =>
        (HelmChart.LineOf("v1.9.0"), HelmChart.LineOf("0.26.0"), HelmChart.LineOf("v1.10.0-rc.1"), HelmChart.LineOf("latest"))
            .ShouldBe(("1.9", "0.26", "1.10", null));
}
