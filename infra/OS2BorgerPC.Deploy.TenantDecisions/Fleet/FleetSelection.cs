using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>The stacks a fleet run works on, in the fleet's order, or the problems that keep it from starting.</summary>
public sealed record FleetSelection(IReadOnlyList<string> Stacks, IReadOnlyList<Problem> Problems)
{
    public const string TenantOption = "--tenant";

    /// <summary>
    /// The requested stacks, or all when none is requested; with <paramref name="ring"/>, only that ring's (a stack file
    /// that does not load stays selected, so its problems keep the run from starting). A run may not start with an unknown tenant, an
    /// invalid selected stack file, or any clash in the fleet: a clash leaves open which tenant owns a name,
    /// whichever of the two is selected.
    /// </summary>
    public static FleetSelection Select(ProjectWorkspace workspace, FleetReport report, IReadOnlyCollection<string> requested, RolloutRing? ring = null)
    {
        var known = report.Entries.Select(e => e.Stack).ToList();
        var problems = new List<Problem>();
        if (known.Count == 0)
        {
            problems.Add(new Problem(workspace.Display(workspace.StackConfigDir), "(file)",
                "There are no stack files, so there is no tenant to run.", "Create one with 'tenant new'."));
        }
        problems.AddRange(requested.Distinct().Where(stack => !known.Contains(stack)).Select(stack =>
            new Problem(workspace.Display(workspace.StackFilePath(stack)), TenantOption, $"There is no tenant '{stack}'.",
                known.Count == 0 ? "Create it with 'tenant new'." : $"Use one of: {string.Join(", ", known)} ('tenant list' shows them).")));
        var selected = report.Entries.Where(e => (requested.Count == 0 || requested.Contains(e.Stack))
            && (ring is null || e.Result.Tenant is not { } tenant || tenant.Ring == ring)).ToList();
        problems.AddRange(selected.SelectMany(e => e.Result.Problems));
        problems.AddRange(report.Clashes);
        return new FleetSelection(selected.Select(e => e.Stack).ToList(), problems);
    }
}
