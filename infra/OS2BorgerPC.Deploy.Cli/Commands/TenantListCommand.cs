using System.CommandLine;
using System.Text.Json;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using Spectre.Console;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant list</c>: one row per stack file.</summary>
public static class TenantListCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var json = new Option<bool>("--json") { Description = "Print the slugs as a JSON array instead (for a CI matrix)." };
        var ring = RingOption.Create("");
        var command = new Command("list", "A table of all tenants: slug, name, host, hosting, size, ring, version.") { json, ring };
        command.SetAction(parse => context(parse).InWorkspace(workspace =>
        {
            var output = context(parse).Output;
            if (!RingOption.TryRead(parse, ring, output, out var only))
            {
                return CliContext.Failure;
            }
            var report = FleetLoader.Load(workspace);
            // A stack file that does not load has no ring: it is listed whatever the ring, and fails the command.
            var entries = report.Entries.Where(e => only is null || e.Result.Tenant is not { } t || t.Ring == only).ToList();
            if (parse.GetValue(json))
            {
                output.Line(JsonSerializer.Serialize(entries.Select(e => e.Stack)));
                return Outcome(report, output);
            }
            var table = new Table().AddColumns("slug", "name", "host", "hosting", "size", "ring", "version");
            foreach (var entry in entries)
            {
                if (entry.Result.Tenant is { } t)
                {
                    table.AddRow(Cells(t.Slug, t.DisplayName, t.Host, t.Hosting.ToString().ToLowerInvariant(),
                        t.Size.Tier.ToString().ToLowerInvariant(), RolloutPlan.Name(t.Ring), t.Release.VersionText));
                }
                else
                {
                    table.AddRow(Cells(entry.Stack, $"invalid: {entry.Result.Problems.Count} problem(s)", "", "", "", "", ""));
                }
            }
            output.Render(table);
            return Outcome(report, output);
        }));
        return command;
    }

    /// <summary>Success for a valid fleet; otherwise how many stack files are invalid or clash, and where to look.</summary>
    internal static int Outcome(FleetReport report, CliOutput output)
    {
        var invalid = report.Entries.Count(e => !e.Result.IsValid);
        if (invalid > 0 || report.Clashes.Count > 0)
        {
            output.Error($"{invalid} invalid stack file(s) and {report.Clashes.Count} clash(es) between tenants; run 'tenant check' for the details.");
            return CliContext.Failure;
        }
        return CliContext.Success;
    }

    private static Text[] Cells(params string[] values) => values.Select(v => new Text(v)).ToArray();
}
