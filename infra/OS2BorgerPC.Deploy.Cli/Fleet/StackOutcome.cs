namespace OS2BorgerPC.Deploy.Cli.Fleet;

public enum StackResult
{
    Succeeded,
    Failed,
    NotStarted,
}

/// <summary>What an operation on one stack came to: the result, how many resources it changes (or changed), why it failed.</summary>
public sealed record StackOutcome(StackResult Result, int? Changes = null, string? Detail = null)
{
    public static readonly StackOutcome NotStarted = new(StackResult.NotStarted);

    public static StackOutcome Succeeded(int? changes) => new(StackResult.Succeeded, changes);

    public static StackOutcome Failed(string detail) => new(StackResult.Failed, Detail: detail);
}

/// <summary>One tenant's line in the summary; no duration when it never started.</summary>
public sealed record TenantOutcome(string Tenant, StackOutcome Outcome, TimeSpan? Duration);
