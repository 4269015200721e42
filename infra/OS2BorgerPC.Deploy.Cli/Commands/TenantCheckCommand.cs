using System.CommandLine;
using OS2BorgerPC.Deploy.Platforms.Configuration;
using OS2BorgerPC.Deploy.Platforms.Validation;
using OS2BorgerPC.Deploy.Tenants.Fleet;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant check</c>: validates every stack file, the fleet-wide uniqueness rules and each tenant's platform reference.</summary>
public static class TenantCheckCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("check", "Validate every stack file and the rules across tenants; list every problem.");
        command.SetAction(parse => context(parse).InWorkspace(workspace =>
        {
            var output = context(parse).Output;
            var report = FleetLoader.Load(workspace);
            if (report.Entries.Count == 0)
            {
                output.Error($"No stack files in {workspace.Display(workspace.StackConfigDir)}. Create one with 'tenant new'.");
                return CliContext.Failure;
            }
            // Each valid tenant's platform must exist in stacks/platform/ and be able to serve it.
            var platforms = new PlatformReferences(PlatformWorkspace.Open(workspace.Root), workspace.Root);
            var problems = report.Problems
                .Concat(report.Members.SelectMany(member => platforms.Problems(member.Tenant, member.StackFile)))
                .ToList();
            if (problems.Count > 0)
            {
                output.Problems(problems);
                return CliContext.Failure;
            }
            output.Line($"All {report.Entries.Count} tenants are valid and distinct.");
            return CliContext.Success;
        }));
        return command;
    }
}
