using System.CommandLine;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>platform</c>: the platform stacks (stacks/platform/) tenants run on.</summary>
public static class PlatformCommand
{
    public static Command Create(Func<ParseResult, CliContext> context) =>
        new("platform", "Create, check, show and list platform stacks (stacks/platform/Pulumi.<name>.yaml): the cluster and add-ons tenants run on.")
        {
            PlatformNewCommand.Create(context),
            PlatformCheckCommand.Create(context),
            PlatformShowCommand.Create(context),
            PlatformListCommand.Create(context),
        };
}
