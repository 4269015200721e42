namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>What a fleet run does to each tenant's stack, as the pulumi command of the same name.</summary>
public enum FleetOperation
{
    Preview,
    Up,
    Refresh,
}

/// <summary>Runs one operation on one tenant's stack; the fleet runner calls it for many tenants at once.</summary>
public interface IStackRunner
{
    /// <summary>
    /// The operation's outcome: a failing stack is an outcome, not an exception. Cancellation means the fleet
    /// stops starting tenants; a runner honours it only until its operation has begun.
    /// </summary>
    Task<StackOutcome> RunAsync(string tenant, FleetOperation operation, CancellationToken cancellationToken);
}
