using System.CommandLine;
using System.Text.Json;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using Spectre.Console;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant images</c>: every container image the fleet runs, once per pull path, with the tenants that run it.</summary>
public static class TenantImagesCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {image, pulledFrom, tenants} (for a CI matrix)." };
        var platform = new Option<FileInfo>("--platform")
        {
            Description = "The platform stack's tenantPlatform output as JSON (pulumi stack output tenantPlatform --json --stack <platform>): "
                + "where the tenants without a recorded facts file pull each image from (the platform's registry or mirror).",
        };
        var command = new Command("images", "Every container image the tenants run: upstream, where the cluster pulls it from, and the tenants that run it.") { json, platform };
        command.SetAction(parse => context(parse).InWorkspace(workspace =>
        {
            var output = context(parse).Output;
            PlatformFacts? given = null;
            if (parse.GetValue(platform) is { } file)
            {
                var (facts, problems) = PlatformOutputFile.Read(file);
                if (facts is null)
                {
                    output.Problems(problems);
                    return CliContext.Failure;
                }
                given = facts;
            }
            var report = FleetLoader.Load(workspace);
            var images = FleetImages.OfFleet(report.Members.Select(m => m.Tenant), tenant => PlatformOf(workspace, tenant, given));
            if (parse.GetValue(json))
            {
                output.Line(JsonSerializer.Serialize(images, Json));
            }
            else
            {
                var table = new Table().AddColumns("image (upstream)", "pulled from", "tenants");
                foreach (var use in images)
                {
                    table.AddRow(new Text(use.Image), new Text(use.PulledFrom ?? "? (pass --platform)"), new Text(string.Join(", ", use.Tenants)));
                }
                output.Render(table);
            }
            return TenantListCommand.Outcome(report, output);
        }));
        return command;
    }

    /// <summary>The tenant's recorded facts file, else the platform output given with --platform, else unknown.</summary>
    private static PlatformFacts? PlatformOf(ProjectWorkspace workspace, Tenant tenant, PlatformFacts? given) =>
        tenant.Platform.FactsFile is not null
            ? PlatformInputs.ReadFactsFile(workspace.Root, tenant.Platform, workspace.Display(workspace.StackFilePath(tenant.Slug))).Facts
            : given;
}
