using System.CommandLine;
using System.Text.Json;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>
/// <c>platform list --json</c>: the platform stacks (stacks/platform/Pulumi.&lt;name&gt;.yaml) as a JSON array, for a CI
/// matrix. <c>--flavour azure</c> lists the azure ones only: they are also the foundation stacks' names (one foundation
/// stack, organization/os2borgerpc-foundation/&lt;name&gt;, per azure platform), which CI previews and checks for drift.
/// </summary>
public static class PlatformListCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var json = new Option<bool>("--json") { Description = "Print the names as a JSON array (for a CI matrix); without it, one name a line." };
        var flavour = new Option<string?>("--flavour")
        {
            Description = "Only the platforms of this flavour (azure: also the foundation stacks' names). Reads each stack file; an invalid one fails the command.",
        };
        flavour.AcceptOnlyFromAmong([.. Enum.GetValues<PlatformFlavour>().Select(PlatformLoader.Name)]);
        var command = new Command("list", "The platform stacks' names (stacks/platform/Pulumi.<name>.yaml).") { json, flavour };
        command.SetAction(parse => context(parse).InPlatforms(platforms =>
        {
            var output = context(parse).Output;
            var stacks = platforms.StackNames();
            if (parse.GetValue(flavour) is { } only)
            {
                // A file that does not load has no flavour: the list fails closed rather than leave a stack unchecked.
                var loaded = stacks.Select(stack => (Stack: stack, Result: PlatformLoader.Load(platforms.ReadStack(stack)))).ToList();
                var problems = loaded.SelectMany(l => l.Result.Platform is null ? l.Result.Problems : []).ToList();
                if (problems.Count > 0)
                {
                    output.Problems(problems);
                    return CliContext.Failure;
                }
                stacks = [.. loaded.Where(l => PlatformLoader.Name(l.Result.Platform!.Flavour) == only).Select(l => l.Stack)];
            }
            output.Line(parse.GetValue(json) ? JsonSerializer.Serialize(stacks) : string.Join(Environment.NewLine, stacks));
            return CliContext.Success;
        }));
        return command;
    }
}
