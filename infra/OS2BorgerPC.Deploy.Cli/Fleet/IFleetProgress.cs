namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>Where a fleet run reports each tenant as it starts and ends. Called from many threads at once.</summary>
public interface IFleetProgress
{
    void Started(string tenant);

    /// <summary>A tenant's end, and also every tenant that was never started.</summary>
    void Finished(TenantOutcome outcome);
}
