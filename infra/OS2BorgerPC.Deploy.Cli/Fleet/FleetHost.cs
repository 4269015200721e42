namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>Where one fleet run works: the repository (Pulumi.yaml) and the folder for the tenants' logs.</summary>
public sealed record FleetRunSettings(string RepositoryRoot, string LogFolder);

/// <summary>
/// What the fleet commands take from the machine: a program lookup on PATH, the runner of a tenant's stack,
/// and the clock. Tests replace them; <see cref="Machine"/> is the real one.
/// </summary>
public sealed record FleetHost(
    Func<string, string?> FindExecutable,
    Func<FleetRunSettings, IStackRunner> CreateRunner,
    TimeProvider Time)
{
    public static FleetHost Machine { get; } = new(
        name => ExecutableSearch.Find(name, Environment.GetEnvironmentVariable("PATH")),
        settings => new AutomationStackRunner(settings.RepositoryRoot, settings.LogFolder),
        TimeProvider.System);
}
