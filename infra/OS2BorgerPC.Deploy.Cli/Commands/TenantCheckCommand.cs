using System.CommandLine;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant check</c>: validates every stack file, the fleet-wide uniqueness rules and each tenant's platform reference.</summary>
public static class TenantCheckCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var against = new Option<string?>("--against")
        {
            Description = "Also compare with what is deployed: a JSON object of stack name to its 'pulumi stack output --json'. " +
                "A change to a setting Azure cannot change in place is a problem, with the migration path.",
        };
        var command = new Command("check", "Validate every stack file and the rules across tenants; list every problem.") { against };
        command.SetAction(parse => context(parse).InWorkspace(workspace =>
        {
            var cli = context(parse);
            var output = cli.Output;
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
            if (parse.GetValue(against) is { } file)
            {
                var path = Path.GetFullPath(file, cli.WorkingDirectory);
                var (deployed, error) = InputFile.Read(path, "--against",
                    "the stacks' outputs, written with 'pulumi stack output --json' per stack (docs/RUNBOOK.md, \"Settings fixed at creation\")",
                    ImmutableSettings.ReadOutputs);
                if (deployed is null)
                {
                    output.Error(error!);
                    return CliContext.Failure;
                }
                problems.AddRange(ImmutableSettings.Check(report.Entries, deployed));
            }
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
