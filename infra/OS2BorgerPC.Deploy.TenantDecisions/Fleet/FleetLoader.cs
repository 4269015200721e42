using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>One stack file's outcome: its tenant or its problems.</summary>
public sealed record FleetEntry(string Stack, string StackFile, TenantLoadResult Result);

/// <summary>Every stack of a workspace, loaded and validated, plus the fleet-wide clashes.</summary>
public sealed record FleetReport(IReadOnlyList<FleetEntry> Entries, IReadOnlyList<Problem> Clashes)
{
    public IEnumerable<Problem> Problems => Entries.SelectMany(e => e.Result.Problems).Concat(Clashes);

    public bool IsValid => !Problems.Any();

    public IEnumerable<FleetMember> Members =>
        Entries.Where(e => e.Result.Tenant is not null).Select(e => new FleetMember(e.StackFile, e.Result.Tenant!));
}

public static class FleetLoader
{
    public static FleetEntry LoadStack(ProjectWorkspace workspace, string stack)
    {
        var file = workspace.Display(workspace.StackFilePath(stack));
        return new FleetEntry(stack, file, TenantLoader.Load(workspace.ReadStack(stack)));
    }

    public static FleetReport Load(ProjectWorkspace workspace)
    {
        var entries = workspace.StackNames().Select(stack => LoadStack(workspace, stack)).ToList();
        var members = entries.Where(e => e.Result.Tenant is not null).Select(e => new FleetMember(e.StackFile, e.Result.Tenant!));
        return new FleetReport(entries, FleetCheck.Clashes(members.OrderBy(m => m.StackFile, StringComparer.Ordinal)));
    }
}
