namespace OS2BorgerPC.Deploy.Tenants.Validation;

/// <summary>One thing wrong with an input: where (file and config key), what, and how to fix it.</summary>
public sealed record Problem(string File, string Key, string Message, string Fix)
{
    public override string ToString() => $"{File}: {Key}: {Message} Fix: {Fix}";
}

/// <summary>Thrown where a caller cannot go on without valid input; carries every problem found.</summary>
public sealed class InvalidConfigurationException(IReadOnlyList<Problem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<Problem> Problems { get; } = problems;
}
