using System.CommandLine;
using OS2BorgerPC.Deploy.Tenants.Fleet;
using Spectre.Console;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant list</c>: one row per stack file.</summary>
public static class TenantListCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("list", "A table of all tenants: slug, name, host, hosting, size, version.");
        command.SetAction(parse => context(parse).InWorkspace(workspace =>
        {
            var output = context(parse).Output;
            var report = FleetLoader.Load(workspace);
            var table = new Table().AddColumns("slug", "name", "host", "hosting", "size", "version");
            foreach (var entry in report.Entries)
            {
                if (entry.Result.Tenant is { } t)
                {
                    table.AddRow(Cells(t.Slug, t.DisplayName, t.Host, t.Hosting.ToString().ToLowerInvariant(),
                        t.Size.Tier.ToString().ToLowerInvariant(), t.Release.VersionText));
                }
                else
                {
                    table.AddRow(Cells(entry.Stack, $"invalid: {entry.Result.Problems.Count} problem(s)", "", "", "", ""));
                }
            }
            output.Render(table);
            var invalid = report.Entries.Count(e => !e.Result.IsValid);
            if (invalid > 0 || report.Clashes.Count > 0)
            {
                output.Error($"{invalid} invalid stack file(s) and {report.Clashes.Count} clash(es) between tenants; run 'tenant check' for the details.");
                return CliContext.Failure;
            }
            return CliContext.Success;
        }));
        return command;
    }

    private static Text[] Cells(params string[] values) => values.Select(v => new Text(v)).ToArray();
}
