using System.Globalization;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>What <c>tenant restore</c> was asked: a restore point (<see cref="Backup"/>) or a time (<see cref="At"/>, PITR).</summary>
/// <param name="Generation">The cluster generation whose archive a point in time is recovered from; null: the running one (<see cref="BackupPolicy.DatabaseGeneration"/>).</param>
/// <param name="WithMedia">--media (the database and /media) or --no-media (the database only); null when neither was said, which is refused.</param>
/// <param name="KeepStopped">--keep-stopped: the admin site stays at 0 replicas afterwards (a rollback: the new version must not migrate the restored database again).</param>
public sealed record RestoreRequest(Tenant Tenant, string? Backup, DateTimeOffset? At, string? IntoSlug, bool Yes, int? Generation = null, bool? WithMedia = null, bool KeepStopped = false)
{
    /// <summary>The generation a point in time is recovered from.</summary>
    public int RecoveredGeneration => Generation ?? Tenant.Backup.DatabaseGeneration;
}

/// <summary>What the cluster holds right now, as the CLI read it.</summary>
/// <param name="Points">The tenant's restore points (see <see cref="RestorePoint.FromResticSnapshots"/>).</param>
/// <param name="RecoverableFrom">CNPG's first recoverability point (status.firstRecoverabilityPoint); azure: the flexible server's earliest restore time (<see cref="AzurePointInTime.Window"/>); null without one.</param>
/// <param name="RecoverableUntil">The last archived WAL's time (pg_stat_archiver.last_archived_time on the primary) while archiving works, else the last base backup; azure: now less the server's archive lag.</param>
/// <param name="ImportRunning">An import Job of the tenant is active.</param>
public sealed record RestoreFacts(
    IReadOnlyList<RestorePoint> Points,
    DateTimeOffset? RecoverableFrom,
    DateTimeOffset? RecoverableUntil,
    bool ImportRunning);

/// <summary>
/// The decision of one <c>tenant restore</c>: the steps it will take (printed first, always), or why it refuses.
/// Nothing is changed on a refusal; a plan is carried out only with <c>--yes</c>. The old data is never
/// written to: a restore loads beside it (a schema and a folder on the same database and volume, or a new CNPG
/// cluster, or on azure a new flexible server, for a point in time) and keeps it; whether an --into target is in use is checked by the restore
/// Job itself (templates/restore-fetch.sh, restore-database.sh), before it changes anything.
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
        var azure = tenant.Hosting == Hosting.Azure;

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
        if (request.WithMedia is null)
        {
            refusals.Add(MediaChoice);
        }
        if (request.At is { } at)
        {
            if (facts.RecoverableFrom is not { } from || facts.RecoverableUntil is not { } until)
            {
                refusals.Add(azure
                    ? $"{tenant.Slug}'s flexible server {tenant.Names.PostgresServer} names no earliest restore time (az postgres flexible-server show: backup.earliestRestoreDate), so there is no point in time to restore to yet."
                    : $"{tenant.Slug}'s database has no base backup off-site yet, so there is no point in time to recover to.");
            }
            else if (at < from || at > until)
            {
                refusals.Add($"--at {Text(at)} is outside what can be recovered: {Text(from)} to {Text(until)} " + (azure
                    ? $"(the flexible server's backups of {tenant.Azure?.DatabaseBackupRetentionDays} days, up to {RecoveryObjectives.AzureWalDelay.TotalMinutes:0} minutes ago: Azure archives the WAL up to that far behind)."
                    : $"(the retention window of {tenant.Backup.RetentionDays} days, up to the last archived WAL)."));
            }
            else if (request.WithMedia != false)
            {
                // /media has no point in time: it comes from the newest backup taken at or before it.
                point = facts.Points.Where(p => p.TakenAt <= at).MaxBy(p => p.TakenAt);
                if (point is null)
                {
                    refusals.Add($"{tenant.Slug} has no backup of /media taken at or before {Text(at)}: 'tenant backups {tenant.Slug}' lists them.");
                }
            }
            if (request.Generation is not null && azure)
            {
                refusals.Add("--generation chooses a CloudNativePG archive; an azure tenant's point in time comes from its flexible server's own backups: leave it out.");
            }
            else if (request.Generation is { } generation && (generation < 1 || generation > tenant.Backup.DatabaseGeneration))
            {
                refusals.Add($"{tenant.Slug} has no database generation {generation}: its cluster is generation {tenant.Backup.DatabaseGeneration} (backup.databaseGeneration), and generations 1 to {tenant.Backup.DatabaseGeneration} are the ones that archived.");
            }
            if (request.IntoSlug is not null)
            {
                refusals.Add("--into restores a restore point (--backup) into another tenant; a point in time is recovered into the tenant itself.");
            }
        }
        if (request.Generation is not null && request.At is null)
        {
            refusals.Add("--generation chooses the database archive a point in time (--at) is recovered from; a restore point (--backup) has none.");
        }
        if (facts.ImportRunning)
        {
            refusals.Add($"An import into {tenant.Slug} is running: wait for it ('kubectl get jobs' in {tenant.Names.Namespace}), then restore.");
        }
        if (request.IntoSlug == tenant.Slug)
        {
            refusals.Add($"--into names {tenant.Slug} itself: leave --into out to restore {tenant.Slug} in place (its current data is kept beside the restored one).");
        }

        var withMedia = request.WithMedia != false;
        var source = point is null ? "?" : $"restore point {point.Name} (taken {Text(point.TakenAt)})";
        List<string> steps =
        [
            (request.At is null, withMedia) switch
            {
                (true, true) => $"Fetch {source} of {tenant.Slug} onto the /media volume of {target}, beside its data (a folder .restore-<time>, not served, not backed up); nothing of the current data is changed.",
                (true, false) => $"Fetch the database of {source} of {tenant.Slug} onto the /media volume of {target}, beside its data (a folder .restore-<time>, not served, not backed up); nothing of the current data is changed.",
                (false, true) => $"Fetch /media of {source}, the newest at or before then, onto the /media volume beside its data (a folder .restore-<time>), and dump the recovered database there.",
                (false, false) => "Dump the recovered database onto the /media volume beside its data (a folder .restore-<time>).",
            } + " The admin site still serves meanwhile; a fetch that fails or is interrupted stops here, and what it fetched is removed.",
            $"Stop the admin site of {target}, only now that everything is fetched.",
            "Load the database in one transaction: the current tables stay, renamed to the schema before_restore_<time>; a failed load changes nothing.",
            withMedia
                ? "Move the fetched files into /media: the current ones stay, in /media/.before-restore-before_restore_<time>."
                : "Leave /media as it is (--no-media): files uploaded since the restored time stay, and the restored database may not name them.",
            request.KeepStopped
                ? $"Leave the admin site of {target} stopped (--keep-stopped): the command prints how to start it."
                : $"Start the admin site of {target} again: on the restored data, or on its own where a step failed.",
            withMedia
                ? "Remove the kept schema and folder by hand after a check (the command prints both)."
                : "Remove the kept schema by hand after a check (the command prints it).",
        ];
        if (request.At is { } when)
        {
            steps.Insert(0, azure
                ? AzurePointInTime.RecoverStep(tenant, Text(when))
                : $"Recover the database as of {Text(when)} from the archive of cluster generation {request.RecoveredGeneration} into the CloudNativePG cluster {CloudNativePg.RecoveryClusterName} beside the running one, while the admin site runs; nothing of the current data is changed.");
            steps.Add(azure ? AzurePointInTime.DeleteStep(tenant) : $"Delete the cluster {CloudNativePg.RecoveryClusterName}.");
        }
        if (request.IntoSlug is { } into)
        {
            steps.Insert(0, $"{into} must be a tenant not in use (nothing in /media, no PC registered); {tenant.Slug} is only read.");
        }
        return new(steps, refusals, point);
    }

    public const string MediaChoice = "Say what to restore: --media (the database and /media as they were then; the current files are set aside, so files uploaded since leave /media) or --no-media (the database only; /media stays as it is).";

    /// <summary>Refused without --yes: the plan is printed and nothing is done.</summary>
    public IReadOnlyList<string> RefusalsWithout(bool yes) => Refused || yes ? Refusals : ["Nothing done: run again with --yes to carry out this plan."];

    private static string Text(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
