using OS2BorgerPC.Deploy.Cli.Processes;

namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>
/// Where one fleet run works: the project folder whose Pulumi.yaml runs the program published for this run (the
/// repository's project otherwise: <see cref="TenantDecisions.Configuration.PublishedProject"/>), and the folder for the tenants' logs.
/// </summary>
/// <param name="PulumiVersion">The Pulumi CLI version the fleet runs (<see cref="TenantDecisions.Configuration.PulumiCliPin"/>): an older CLI is refused.</param>
public sealed record FleetRunSettings(string ProjectFolder, string LogFolder, Version PulumiVersion);

/// <summary>
/// What the fleet commands take from the machine: a program lookup on PATH, the build of the program, the runner
/// of a tenant's stack, and the clock. Tests replace them; <see cref="Machine"/> is the real one.
/// </summary>
public sealed record FleetHost(
    Func<string, string?> FindExecutable,
    IProgramBuild Build,
    Func<FleetRunSettings, IStackRunner> CreateRunner,
    TimeProvider Time)
{
    public static FleetHost Machine { get; } = new(
        OnPath,
        new DotnetPublish(new SystemProcessRunner(), OnPath(DotnetPublish.Program) ?? DotnetPublish.Program),
        settings => new AutomationStackRunner(settings.ProjectFolder, settings.LogFolder, settings.PulumiVersion),
        TimeProvider.System);

    private static string? OnPath(string name) => ExecutableSearch.Find(name, Environment.GetEnvironmentVariable("PATH"));
}
