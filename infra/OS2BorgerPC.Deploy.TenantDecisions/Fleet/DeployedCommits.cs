using System.Text.Json;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <param name="Stack">A tenant whose stack does not run what main says.</param>
/// <param name="Reason">Why it is selected, for the log.</param>
public sealed record BehindTenant(string Stack, string Reason);

/// <summary>
/// Which tenants a deploy updates: every stack whose deployed commit (the stack tag a successful <c>up</c>
/// writes, <see cref="Security.CiIdentities.DeployedCommitTag"/>) is behind main in a way that reaches it. A
/// failed or cancelled <c>up</c> leaves the tag where it was, so the next deploy selects that tenant again.
/// </summary>
public static class DeployedCommits
{
    /// <summary>
    /// Reads <c>{"&lt;stack&gt;": "&lt;commit&gt;", ...}</c>; an empty or null commit means the stack has no tag
    /// (never deployed by CI, or not in the backend).
    /// </summary>
    public static (IReadOnlyDictionary<string, string?>? Deployed, string? Error) Read(string json, string file)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, $"{file}: expected a JSON object of stack name to deployed commit, e.g. {{\"aarhus\": \"<commit>\"}}.");
            }
            var deployed = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var stack in document.RootElement.EnumerateObject())
            {
                deployed[stack.Name] = stack.Value.ValueKind == JsonValueKind.String ? stack.Value.GetString() : null;
            }
            return (deployed, null);
        }
        catch (JsonException e)
        {
            return (null, $"{file}: not JSON ({e.Message}).");
        }
    }

    /// <param name="deployed">Each stack's deployed commit, as <see cref="Read"/> returns it.</param>
    /// <param name="stacks">The stacks that have a stack file on main.</param>
    /// <param name="stackDirectory">The stack folder relative to the root.</param>
    /// <param name="changedSince">The files changed between a commit and main's head, or null when that commit is not in main's history.</param>
    public static IReadOnlyList<BehindTenant> Behind(
        IReadOnlyDictionary<string, string?> deployed,
        IReadOnlyCollection<string> stacks,
        string stackDirectory,
        Func<string, IReadOnlyList<string>?> changedSince)
    {
        var reached = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal);
        var behind = new List<BehindTenant>();
        foreach (var stack in stacks.Order(StringComparer.Ordinal))
        {
            var commit = deployed.GetValueOrDefault(stack);
            if (string.IsNullOrEmpty(commit))
            {
                behind.Add(new BehindTenant(stack, "no deployed commit: never updated by CI, or its last update failed before the first success"));
                continue;
            }
            // Only a full commit ID reaches git: a tag value is data, never an option or a revision expression.
            if (!Rules.IsCommit(commit))
            {
                behind.Add(new BehindTenant(stack, $"its deployed-commit tag '{commit}' is not a commit ID"));
                continue;
            }
            if (!reached.TryGetValue(commit, out var tenants))
            {
                tenants = changedSince(commit) is { } changed ? TenantChanges.Decide(changed, stacks, stackDirectory).Tenants : null;
                reached[commit] = tenants;
            }
            if (tenants is null)
            {
                behind.Add(new BehindTenant(stack, $"deployed commit {commit[..12]} is not in main's history"));
            }
            else if (tenants.Contains(stack))
            {
                behind.Add(new BehindTenant(stack, $"changes since its deployed commit {commit[..12]} reach it"));
            }
        }
        return behind;
    }
}
