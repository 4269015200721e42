using System.Globalization;
using OS2BorgerPC.Deploy.Tenants.Model;

namespace OS2BorgerPC.Deploy.Tenants.Backup;

/// <summary>What <c>tenant restore</c> was asked: a restore point (<see cref="Backup"/>) or a time (<see cref="At"/>, PITR).</summary>
public sealed record RestoreRequest(Tenant Tenant, string? Backup, DateTimeOffset? At, string? IntoSlug, bool Yes);

/// <summary>What the cluster holds right now, as the CLI read it.</summary>
/// <param name="Points">The tenant's restore points (see <see cref="RestorePoint.FromResticSnapshots"/>).</param>
/// <param name="RecoverableFrom">CNPG's first recoverability point (status.firstRecoverabilityPoint); null without one (azure hosting: the flexible server's own PITR).</param>
/// <param name="RecoverableUntil">The newest archived WAL's time (status.lastArchivedWALTime).</param>
/// <param name="ImportRunning">An import Job of the tenant is active.</param>
/// <param name="TargetHoldsData">The target tenant's database has tables or its /media has files.</param>
public sealed record RestoreFacts(
    IReadOnlyList<RestorePoint> Points,
    DateTimeOffset? RecoverableFrom,
    DateTimeOffset? RecoverableUntil,
    bool ImportRunning,
    bool TargetHoldsData);

/// <summary>
/// The decision of one <c>tenant restore</c>: the steps it will take (printed first, always), or why it refuses.
/// Nothing is changed on a refusal; a plan is carried out only with <c>--yes</c>. The old data is never
/// written to: a restore builds a new database (a new CNPG cluster, or the empty database of a new tenant) and
/// a new /media, and the tenant is switched over only once both are complete.
/// </summary>
public sealed record RestorePlan(IReadOnlyList<string> Steps, IReadOnlyList<string> Refusals, RestorePoint? Point)
{
    public bool Refused => Refusals.Count > 0;

    public static RestorePlan For(RestoreRequest request, RestoreFacts facts)
    {
        var tenant = request.Tenant;
        var target = request.IntoSlug ?? tenant.Slug;
        var refusals = new List<string>();
        RestorePoint? point = null;

        if ((request.Backup is null) == (request.At is null))
        {
            refusals.Add("Name exactly one of --backup <restore point> ('tenant backups' lists them) and --at <time>.");
        }
        if (request.Backup is { } name)
        {
            point = facts.Points.FirstOrDefault(p => p.Name == name);
            if (point is null)
            {
                refusals.Add($"{tenant.Slug} has no restore point '{name}'. 'tenant backups {tenant.Slug}' lists the {facts.Points.Count} there are.");
            }
        }
        if (request.At is { } at)
        {
            if (tenant.Hosting == Hosting.Azure)
            {
                refusals.Add($"{tenant.Slug} is hosted on azure: a point in time is restored by the flexible server's own PITR (docs/RUNBOOK.md, 'Restoring'); --backup restores a restore point.");
            }
            else if (facts.RecoverableFrom is not { } from || facts.RecoverableUntil is not { } until)
            {
                refusals.Add($"{tenant.Slug}'s database has no base backup off-site yet, so there is no point in time to recover to.");
            }
            else if (at < from || at > until)
            {
                refusals.Add($"--at {Text(at)} is outside what can be recovered: {Text(from)} to {Text(until)} (the retention window of {tenant.Backup.RetentionDays} days, up to the last archived WAL).");
            }
        }
        if (facts.ImportRunning)
        {
            refusals.Add($"An import into {tenant.Slug} is running: wait for it ('kubectl get jobs' in {tenant.Names.Namespace}), then restore.");
        }
        if (request.IntoSlug is not null && facts.TargetHoldsData)
        {
            refusals.Add($"The target tenant {target} is not empty: a restore goes only into a tenant with an empty database and /media. Create a fresh one with 'tenant new'.");
        }

        var source = point is not null ? $"restore point {point.Name} (taken {Text(point.TakenAt)})" : request.At is { } time ? $"the database as of {Text(time)}" : "?";
        List<string> steps = request.IntoSlug is null
            ? [
                $"Restore {source} of {tenant.Slug} next to the running data: a new database and a new /media; nothing of the current data is changed.",
                "Check the restored database and /media (tables, row counts, files).",
                $"Scale the admin site of {tenant.Slug} to 0, switch it to the restored database and /media, start it again.",
                "Keep the previous database and /media (protected) until removed by hand after a check.",
            ]
            : [
                $"Restore {source} of {tenant.Slug} into the empty tenant {target} (a drill or a copy); {tenant.Slug} is not touched.",
                $"Check {target}: log in, compare row counts and files.",
            ];
        if (point is not null && request.At is null && tenant.Hosting == Hosting.Kubernetes)
        {
            steps.Insert(1, "The database from the restore point's logical dump, /media from the same snapshot.");
        }
        return new(steps, refusals, point);
    }

    /// <summary>Refused without --yes: the plan is printed and nothing is done.</summary>
    public IReadOnlyList<string> RefusalsWithout(bool yes) => Refused || yes ? Refusals : ["Nothing done: run again with --yes to carry out this plan."];

    private static string Text(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
