using OS2BorgerPC.Deploy.PlatformDecisions.Model;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>Where a chart version stands in its upstream support on a given day.</summary>
public enum SupportStatus
{
    Supported,

    /// <summary>Its line ends within <see cref="ChartSupport.WarningDays"/>.</summary>
    EndingSoon,

    /// <summary>Its line's end of life has passed, or the line is older than every line whose end is recorded.</summary>
    PastEndOfLife,

    /// <summary>Its line is newer than every recorded line, or the chart records none: nothing is known.</summary>
    Unknown,
}

/// <summary>One chart's support on a day: its status, the line and, where recorded, the line's end of life.</summary>
public sealed record ChartSupportState(string Key, HelmChart Chart, SupportStatus Status, string? Line, ReleaseLine? Recorded)
{
    /// <summary>One sentence for an operator.</summary>
    public string Describe(DateOnly today) => Status switch
    {
        SupportStatus.PastEndOfLife when Recorded is { } line =>
            $"{Chart.Version} is on the {line.Line} line, whose upstream support ended on {line.EndOfLife:yyyy-MM-dd} ({line.Source}).",
        SupportStatus.PastEndOfLife =>
            $"{Chart.Version} is on the {Line} line, older than every line whose end of life the kit records ({string.Join(", ", Chart.Lines.Select(l => l.Line))}): it is out of upstream support.",
        SupportStatus.EndingSoon =>
            $"{Chart.Version} is on the {Recorded!.Line} line, whose upstream support ends on {Recorded.EndOfLife:yyyy-MM-dd}, in {Recorded.EndOfLife.DayNumber - today.DayNumber} days ({Recorded.Source}).",
        SupportStatus.Unknown => $"{Chart.Version}: the kit records no end of life for its line ({Line ?? "unreadable"}).",
        _ => $"{Chart.Version} is on the {Recorded!.Line} line, supported until {Recorded.EndOfLife:yyyy-MM-dd}.",
    };
}

/// <summary>
/// The charts' upstream support (<see cref="HelmChart.Lines"/>): a pin past its line's end of life is refused unless the
/// platform stack names it in <see cref="AllowPastEndOfLifeKey"/>; <c>platform check</c> warns <see cref="WarningDays"/> before.
/// </summary>
public static class ChartSupport
{
    public const int WarningDays = 60;

    /// <summary>platform.charts.&lt;this&gt;: the chart keys whose pin may run past its line's end of life, knowingly.</summary>
    public const string AllowPastEndOfLifeKey = "allowPastEndOfLife";

    public static ChartSupportState Of(string key, HelmChart chart, DateOnly today)
    {
        var line = HelmChart.LineOf(chart.Version);
        var recorded = chart.Lines.FirstOrDefault(l => l.Line == line);
        var status = recorded switch
        {
            { } known when known.EndOfLife <= today => SupportStatus.PastEndOfLife,
            { } known when known.EndOfLife.DayNumber - today.DayNumber <= WarningDays => SupportStatus.EndingSoon,
            not null => SupportStatus.Supported,
            null when line is not null && chart.Lines.Count > 0 && Compare(line, chart.Lines[0].Line) < 0 => SupportStatus.PastEndOfLife,
            null => SupportStatus.Unknown,
        };
        return new ChartSupportState(key, chart, status, line, recorded);
    }

    /// <summary>Every chart of <paramref name="charts"/>, as <see cref="Of"/> sees it.</summary>
    public static IReadOnlyList<ChartSupportState> Of(ChartVersions charts, DateOnly today) =>
        charts.ByKey.Select(c => Of(c.Key, c.Chart, today)).ToList();

    /// <summary>
    /// What <c>platform check</c> warns about: a line ending within <see cref="WarningDays"/>, one past its end (allowed by
    /// the stack), and one newer than every recorded line; a chart that records no lines at all is not guessed about.
    /// </summary>
    public static bool Warns(ChartSupportState state) => state.Status switch
    {
        SupportStatus.EndingSoon or SupportStatus.PastEndOfLife => true,
        SupportStatus.Unknown => state.Chart.Lines.Count > 0,
        _ => false,
    };

    private static int Compare(string line, string other)
    {
        static (int, int) Parts(string l) => (int.Parse(l.Split('.')[0]), int.Parse(l.Split('.')[1]));
        return Parts(line).CompareTo(Parts(other));
    }
}
