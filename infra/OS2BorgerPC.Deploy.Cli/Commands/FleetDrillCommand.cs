using System.CommandLine;
using System.Globalization;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>
/// <c>fleet drill</c>: the tenant the restore drill of a day restores into the drill tenant
/// (<see cref="RestoreDrills.TenantOn"/>), a month's drills, or a tenant asked for by name, for restore-drill.yml; and
/// with --access how the drill tenant reads a tenant's backups (<see cref="RestoreDrills.AccessTo"/>): whether the run
/// must name it in the drill tenant's backup.drillFrom and grant the read role. Refuses a fleet without the drill tenant.
/// </summary>
public static class FleetDrillCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var date = new Option<string?>("--date") { Description = "The day (YYYY-MM-DD); default: today (UTC). Prints nothing on a day without a drill." };
        var month = new Option<string?>("--month") { Description = "Print the month's drills (YYYY-MM), a day and a tenant a line." };
        var tenant = new Option<string?>("--tenant") { Description = "Print this tenant if it is one the drill may restore (a drill run by hand)." };
        var access = new Option<string?>("--access")
        {
            Description = $"Print how the drill tenant reads this tenant's backups: {RestoreDrills.AccessName(DrillAccess.DrillFrom)} (Azure Blob: the run sets backup.drillFrom and grants a read role) or {RestoreDrills.AccessName(DrillAccess.LentKey)} (S3: the tenant's key is lent).",
        };
        var command = new Command("drill", $"Print the tenant the restore drill of a day restores into the drill tenant '{RestoreDrills.DrillTenant}'.") { date, month, tenant, access };
        command.SetAction(parse => context(parse).InWorkspace(workspace =>
        {
            var output = context(parse).Output;
            var (givenDate, givenMonth, givenTenant, givenAccess) = (parse.GetValue(date), parse.GetValue(month), parse.GetValue(tenant), parse.GetValue(access));
            if (new[] { givenDate, givenMonth, givenTenant, givenAccess }.Count(v => v is not null) > 1)
            {
                output.Error("Give one of --date, --month, --tenant and --access.");
                return CliContext.Failure;
            }
            var stacks = workspace.StackNames().ToList();
            if (!stacks.Contains(RestoreDrills.DrillTenant))
            {
                output.Error($"There is no drill tenant '{RestoreDrills.DrillTenant}' (stacks/Pulumi.{RestoreDrills.DrillTenant}.yaml): make it once with " +
                    $"'tenant new --name \"Restore drill\" --slug {RestoreDrills.DrillTenant} --size large' and deploy it; register no PC with it.");
                return CliContext.Failure;
            }
            if ((givenTenant ?? givenAccess) is { } named)
            {
                if (named == RestoreDrills.DrillTenant || !stacks.Contains(named))
                {
                    output.Error($"{(givenTenant is not null ? "--tenant" : "--access")} {named}: name a tenant of the fleet (tenant list), not the drill tenant.");
                    return CliContext.Failure;
                }
                return givenTenant is not null ? Print(output, named) : PrintAccess(workspace, output, named);
            }
            try
            {
                if (givenMonth is not null)
                {
                    if (!DateOnly.TryParseExact(givenMonth, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
                    {
                        output.Error($"--month {givenMonth}: give a month as YYYY-MM, e.g. 2026-12.");
                        return CliContext.Failure;
                    }
                    var drills = RestoreDrills.TenantsFor(stacks, first.Year, first.Month);
                    for (var i = 0; i < drills.Count; i++)
                    {
                        output.Line($"{first.AddDays(RestoreDrills.FirstDrillDay - 1 + i):yyyy-MM-dd}\t{drills[i]}");
                    }
                    return 0;
                }
                var day = DateOnly.FromDateTime(DateTime.UtcNow);
                if (givenDate is not null && !DateOnly.TryParseExact(givenDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
                {
                    output.Error($"--date {givenDate}: give a day as YYYY-MM-DD, e.g. 2026-12-03.");
                    return CliContext.Failure;
                }
                if (RestoreDrills.TenantOn(stacks, day) is { } drilled)
                {
                    output.Line(drilled);
                }
                else
                {
                    output.Note($"No restore drill on {day:yyyy-MM-dd}: the month's {RestoreDrills.TenantsFor(stacks, day.Year, day.Month).Count} drills fall one a day from day {RestoreDrills.FirstDrillDay} (fleet drill --month {day:yyyy-MM}).");
                }
                return 0;
            }
            catch (InvalidOperationException e) // no tenant to drill, or a fleet too large for the drill days
            {
                output.Error(e.Message);
                return CliContext.Failure;
            }
        }));
        return command;
    }

    private static int Print(CliOutput output, string line)
    {
        output.Line(line);
        return CliContext.Success;
    }

    /// <summary>How the drill tenant reads <paramref name="slug"/>'s backups, from both stack files and their platform's.</summary>
    private static int PrintAccess(ProjectWorkspace workspace, CliOutput output, string slug)
    {
        var drill = FleetLoader.LoadStack(workspace, RestoreDrills.DrillTenant);
        var source = FleetLoader.LoadStack(workspace, slug);
        if (drill.Result.Tenant is not { } drillTenant || source.Result.Tenant is not { } sourceTenant)
        {
            output.Problems([.. drill.Result.Problems, .. source.Result.Problems]);
            return CliContext.Failure;
        }
        var platforms = new PlatformReferences(PlatformWorkspace.Open(workspace.Root), workspace.Root);
        var (kind, problems) = platforms.BackupKind(drillTenant, drill.StackFile);
        if (kind is not { } backup)
        {
            output.Problems(problems);
            return CliContext.Failure;
        }
        var (drillAccess, refusal) = RestoreDrills.AccessTo(drillTenant, sourceTenant, backup);
        if (drillAccess is not { } granted)
        {
            output.Error(refusal!);
            return CliContext.Failure;
        }
        return Print(output, RestoreDrills.AccessName(granted));
    }
}
