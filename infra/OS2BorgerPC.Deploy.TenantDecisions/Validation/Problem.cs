namespace OS2BorgerPC.Deploy.TenantDecisions.Validation;

/// <summary>One thing wrong with an input: where (file and config key), what, and how to fix it.</summary>
public sealed record Problem(string File, string Key, string Message, string Fix)
{
    public override string ToString() => $"{File}: {Key}: {Message} Fix: {Fix}";

    /// <summary>Why a program provisions nothing: every problem, one per line.</summary>
    /// <param name="subject">What has the problems, e.g. "The tenant configuration of stack 'aarhus'".</param>
    public static string Refusal(string subject, IReadOnlyList<Problem> problems) =>
        $"{subject} has {problems.Count} problem(s); nothing was provisioned:{Environment.NewLine}"
        + string.Join(Environment.NewLine, problems.Select(p => $"  {p}"));
}

/// <summary>Thrown where a caller cannot go on without valid input; carries every problem found.</summary>
public sealed class InvalidConfigurationException(IReadOnlyList<Problem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<Problem> Problems { get; } = problems;
}
