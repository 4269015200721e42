using System.CommandLine;
using System.Globalization;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>
/// <c>fleet drill</c>: the tenant the monthly restore drill restores into the drill tenant this month
/// (<see cref="RestoreDrills.TenantFor"/>), for restore-drill.yml. Refuses a fleet without the drill tenant.
/// </summary>
public static class FleetDrillCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var month = new Option<string?>("--month") { Description = "The month (YYYY-MM); default: the current month (UTC)." };
        var command = new Command("drill", $"Print the tenant this month's restore drill restores into the drill tenant '{RestoreDrills.DrillTenant}'.") { month };
        command.SetAction(parse => context(parse).InWorkspace(workspace =>
        {
            var output = context(parse).Output;
            var given = parse.GetValue(month);
            var when = DateTimeOffset.UtcNow;
            if (given is not null && !DateTimeOffset.TryParseExact(given, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out when))
            {
                output.Error($"--month {given}: give a month as YYYY-MM, e.g. 2026-12.");
                return CliContext.Failure;
            }
            var stacks = workspace.StackNames().ToList();
            if (!stacks.Contains(RestoreDrills.DrillTenant))
            {
                output.Error($"There is no drill tenant '{RestoreDrills.DrillTenant}' (stacks/Pulumi.{RestoreDrills.DrillTenant}.yaml): make it once with " +
                    $"'tenant new --name \"Restore drill\" --slug {RestoreDrills.DrillTenant} --size large' and deploy it; register no PC with it.");
                return CliContext.Failure;
            }
            output.Line(RestoreDrills.TenantFor(stacks, when.Year, when.Month));
            return 0;
        }));
        return command;
    }
}
