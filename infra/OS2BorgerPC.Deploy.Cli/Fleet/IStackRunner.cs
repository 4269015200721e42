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

    /// <summary>
    /// Why no tenant could run (e.g. the Pulumi CLI is too old), or null: asked once, while the program builds, so
    /// that such a reason is said once rather than by every tenant.
    /// </summary>
    Task<string?> PrepareAsync() => Task.FromResult<string?>(null);
}
