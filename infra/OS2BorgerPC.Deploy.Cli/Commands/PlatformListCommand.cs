using System.CommandLine;
using System.Text.Json;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>platform list --json</c>: the platform stacks (stacks/platform/Pulumi.&lt;name&gt;.yaml) as a JSON array, for a CI matrix.</summary>
public static class PlatformListCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var json = new Option<bool>("--json") { Description = "Print the names as a JSON array (for a CI matrix); without it, one name a line." };
        var command = new Command("list", "The platform stacks' names (stacks/platform/Pulumi.<name>.yaml).") { json };
        command.SetAction(parse => context(parse).InPlatforms(platforms =>
        {
            var output = context(parse).Output;
            var stacks = platforms.StackNames();
            output.Line(parse.GetValue(json) ? JsonSerializer.Serialize(stacks) : string.Join(Environment.NewLine, stacks));
            return CliContext.Success;
        }));
        return command;
    }
}
