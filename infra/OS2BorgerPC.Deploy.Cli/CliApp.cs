using System.CommandLine;
using OS2BorgerPC.Deploy.Cli.Commands;
using OS2BorgerPC.Deploy.Cli.Fleet;
using OS2BorgerPC.Deploy.Cli.Processes;

namespace OS2BorgerPC.Deploy.Cli;

/// <summary>The command tree. Runs against the workspace that holds the working directory, as pulumi does.</summary>
public static class CliApp
{
    /// <param name="fleet">What the fleet commands take from the machine (tests give fakes).</param>
    /// <param name="shell">The programs and clock the commands that work in a tenant's cluster use (tests give fakes).</param>
    public static int Run(string[] args, string workingDirectory, TextWriter output, TextWriter error, FleetHost? fleet = null, Shell? shell = null)
    {
        var cwd = new Option<string?>("--cwd", "-C")
        {
            Description = "Run as if started in this folder (the repository is the nearest folder upwards with Pulumi.yaml).",
            Recursive = true,
        };
        var context = (ParseResult parse) => new CliContext(
            Path.GetFullPath(parse.GetValue(cwd) ?? workingDirectory, workingDirectory), new CliOutput(output, error));

        var tenant = new Command("tenant", "Create, list, show and check tenants (one stack file each); hand them over; import existing installations.")
        {
            TenantNewCommand.Create(context),
            TenantListCommand.Create(context),
            TenantShowCommand.Create(context),
            TenantCheckCommand.Create(context),
            TenantChangedCommand.Create(context),
            TenantImagesCommand.Create(context),
            TenantHandoverCommand.Create(context),
            TenantRenderCommand.Create(context),
            TenantImportCommand.Create(context, shell ?? Shell.System),
            TenantBackupsCommand.Create(context, shell ?? Shell.System),
            TenantRestoreCommand.Create(context, shell ?? Shell.System),
            TenantOffboardCommand.Create(context, shell ?? Shell.System),
        };
        var fleetCommand = FleetCommand.Create(context, fleet ?? FleetHost.Machine);
        fleetCommand.Add(FleetStatusCommand.Create(context, shell ?? Shell.System));
        fleetCommand.Add(FleetPlanCommand.Create(context));
        fleetCommand.Add(FleetDrillCommand.Create(context));
        var root = new RootCommand("OS2BorgerPC.Deploy: provision and operate OS2BorgerPC admin sites, one Pulumi stack per tenant.")
        {
            cwd,
            tenant,
            fleetCommand,
            PlatformCommand.Create(context),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
