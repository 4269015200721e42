using System.CommandLine;
using System.Text.Json;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using Spectre.Console;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant images</c>: every container image the fleet runs, once, with the tenants that run it.</summary>
public static class TenantImagesCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {image, tenants} (for a CI matrix)." };
        var command = new Command("images", "Every container image the tenants run, each with the tenants that run it.") { json };
        command.SetAction(parse => context(parse).InWorkspace(workspace =>
        {
            var output = context(parse).Output;
            var report = FleetLoader.Load(workspace);
            var images = FleetImages.OfFleet(report.Members.Select(m => m.Tenant));
            if (parse.GetValue(json))
            {
                output.Line(JsonSerializer.Serialize(images, Json));
            }
            else
            {
                var table = new Table().AddColumns("image", "tenants");
                foreach (var use in images)
                {
                    table.AddRow(new Text(use.Image), new Text(string.Join(", ", use.Tenants)));
                }
                output.Render(table);
            }
            return TenantListCommand.Outcome(report, output);
        }));
        return command;
    }
}
