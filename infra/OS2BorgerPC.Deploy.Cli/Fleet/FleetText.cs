using System.Globalization;
using Spectre.Console;

namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>How a tenant's outcome reads: in progress lines, the live display and the summary table.</summary>
internal static class FleetText
{
    /// <summary>The operation as the pulumi command and the fleet subcommand name it.</summary>
    public static string Verb(FleetOperation operation) => operation.ToString().ToLowerInvariant();

    public static string Result(StackResult result) => result switch
    {
        StackResult.Succeeded => "succeeded",
        StackResult.Failed => "failed",
        _ => "not started",
    };

    public static string Duration(TimeSpan? duration) =>
        duration is { } d ? string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.0} s") : "";

    public static string Changes(int? changes) => changes?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary><c>succeeded in 12.3 s (3 changes)</c>, <c>failed in 2.0 s: why</c> (or without why), <c>not started</c>.</summary>
    public static string Describe(TenantOutcome outcome, bool withDetail = true)
    {
        var (result, changes, detail) = outcome.Outcome;
        var text = Result(result);
        if (outcome.Duration is not null)
        {
            text += $" in {Duration(outcome.Duration)}";
        }
        if (changes is { } n)
        {
            text += $" ({Changes(n)} change{(n == 1 ? "" : "s")})";
        }
        return detail is null || !withDetail ? text : $"{text}: {detail}";
    }

    /// <summary>The first line of a message, for one-line details.</summary>
    public static string FirstLine(string message) => message.Split('\n')[0].Trim();

    public static Table Summary(IEnumerable<TenantOutcome> outcomes)
    {
        var table = new Table().AddColumns("tenant", "result", "changes", "duration", "detail");
        foreach (var outcome in outcomes)
        {
            table.AddRow(
                new Text(outcome.Tenant),
                new Text(Result(outcome.Outcome.Result)),
                new Text(Changes(outcome.Outcome.Changes)),
                new Text(Duration(outcome.Duration)),
                new Text(outcome.Outcome.Detail ?? ""));
        }
        return table;
    }
}
