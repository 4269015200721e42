using System.CommandLine;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>
/// <c>platform check</c>: validates platform stack files; with <c>--against</c>, also names every setting the
/// update would have to replace (Azure cannot change it in place) compared with the recorded deployed settings.
/// </summary>
public static class PlatformCheckCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string?>("name") { Description = "One platform stack; default: all of them.", Arity = ArgumentArity.ZeroOrOne };
        var against = new Option<string?>("--against")
        {
            Description = "A recording of the deployed platform's settings (pulumi stack output deployedSettings --json > file): flags changes Azure cannot make in place.",
        };
        var command = new Command("check", "Validate platform stack files; with --against, flag settings whose change would replace protected resources.") { name, against };
        command.SetAction(parse => context(parse).InPlatforms(platforms =>
        {
            var output = context(parse).Output;
            var stacks = parse.GetValue(name) is { } one ? [one] : platforms.StackNames();
            if (stacks.Count == 0)
            {
                output.Error($"No platform stack files in {platforms.Display(platforms.Project.StackConfigDir)}. Create one with 'platform new'.");
                return CliContext.Failure;
            }
            if (parse.GetValue(against) is { } recorded && stacks.Count != 1)
            {
                output.Error("--against compares one platform: name it, e.g. platform check prod --against deployed.json.");
                return CliContext.Failure;
            }
            var problems = new List<Problem>();
            foreach (var stack in stacks)
            {
                var result = PlatformLoader.Load(platforms.ReadStack(stack));
                problems.AddRange(result.Problems);
                if (result.Platform is { } valid)
                {
                    var today = DateOnly.FromDateTime(DateTime.UtcNow);
                    // Past its end of life only where the stack allows it (platform.charts.allowPastEndOfLife): refused otherwise.
                    foreach (var chart in ChartSupport.Of(valid.Charts, today).Where(ChartSupport.Warns))
                    {
                        output.Line($"warning: {platforms.Display(platforms.StackFilePath(stack))}: platform.charts.{chart.Key}: {chart.Describe(today)}");
                    }
                }
                if (result.Platform is { Azure: { } azure } && parse.GetValue(against) is { } file)
                {
                    var path = Path.GetFullPath(file, context(parse).WorkingDirectory);
                    var (deployed, problem) = DeployedSettings.Read(path, file);
                    problems.AddRange(problem is not null ? [problem]
                        : DeployedSettings.Replacements(deployed!, DeployedSettings.Of(azure), platforms.Display(platforms.StackFilePath(stack))));
                }
            }
            if (problems.Count > 0)
            {
                output.Problems(problems);
                return CliContext.Failure;
            }
            output.Line(stacks.Count == 1 ? $"Platform {stacks[0]} is valid." : $"All {stacks.Count} platforms are valid.");
            return CliContext.Success;
        }));
        return command;
    }
}
