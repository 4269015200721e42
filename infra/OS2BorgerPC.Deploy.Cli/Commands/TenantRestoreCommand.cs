using System.CommandLine;
using System.Globalization;
using OS2BorgerPC.Deploy.Cli.Backup;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Import;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>
/// <c>tenant restore</c>: reads what the cluster holds (restore points, the CNPG recovery window, a running import),
/// prints the plan <see cref="RestorePlan"/> decides, and refuses what it refuses; with <c>--yes</c> carries it out
/// (<see cref="TenantRestore"/>).
/// </summary>
public static class TenantRestoreCommand
{
    public static Command Create(Func<ParseResult, CliContext> context, Shell shell)
    {
        var slug = new Argument<string>("slug") { Description = "The tenant whose backups to restore." };
        var backup = new Option<string?>("--backup") { Description = "A restore point, as 'tenant backups' lists it." };
        var at = new Option<DateTimeOffset?>("--at") { Description = "A point in time (ISO 8601, e.g. 2026-11-26T09:30:00Z) within the retention window (azure: through a temporary flexible server)." };
        var into = new Option<string?>("--into") { Description = "Restore into this other, empty tenant (a drill or a copy) instead of the tenant itself." };
        var generation = new Option<int?>("--generation") { Description = "With --at: the database cluster generation whose archive to recover from (default: the running one, backup.databaseGeneration)." };
        var yes = new Option<bool>("--yes") { Description = "Carry out the plan; without it, the plan is printed and nothing is done." };
        var media = new Option<bool>("--media") { Description = "Restore the database and /media (the current files are set aside; files uploaded since leave /media)." };
        var noMedia = new Option<bool>("--no-media") { Description = "Restore the database only; /media stays as it is." };
        var keepStopped = new Option<bool>("--keep-stopped") { Description = "Leave the admin site stopped afterwards (a rollback: set the previous version, then 'pulumi up' starts it)." };
        var kubeContext = TenantBackupsCommand.KubeContextOption();
        var command = new Command("restore", "Restore a tenant's database and /media from a restore point or to a point in time; prints the plan first.")
        {
            slug, backup, at, into, generation, media, noMedia, keepStopped, yes, kubeContext,
        };
        command.SetAction(parse => context(parse).ForTenant(parse.GetRequiredValue(slug), tenant =>
        {
            var output = context(parse).Output;
            var kubectl = TenantBackupsCommand.Kubectl(shell, tenant, parse.GetValue(kubeContext));
            var (points, error) = new RestorePointReader(kubectl, shell).Read(tenant);
            if (points is null)
            {
                output.Error(error!);
                return 1;
            }
            // A generation that never archived is the plan's refusal; the window is then read for the running one.
            var recovered = parse.GetValue(generation) is { } asked && asked >= 1 && asked <= tenant.Backup.DatabaseGeneration ? asked : tenant.Backup.DatabaseGeneration;
            // Only a point in time needs the recovery window (RestorePlan reads it for --at alone): no cluster or Azure reads otherwise.
            var (from, until) = parse.GetValue(at) is null ? (null, null)
                : tenant.Hosting == Hosting.Azure ? AzurePointInTimeRestore.Window(shell, tenant, output) : RecoveryWindow(kubectl, tenant, recovered);
            var facts = new RestoreFacts(points, from, until, ImportRunning(kubectl));
            var request = new RestoreRequest(tenant, parse.GetValue(backup), parse.GetValue(at), parse.GetValue(into), parse.GetValue(yes), parse.GetValue(generation),
                WithMedia: MediaChoice(parse.GetValue(media), parse.GetValue(noMedia)), KeepStopped: parse.GetValue(keepStopped));
            var plan = RestorePlan.For(request, facts);

            output.Line($"Plan for restoring {tenant.Slug}:");
            foreach (var (step, i) in plan.Steps.Select((s, i) => (s, i)))
            {
                output.Line($"  {i + 1}. {step}");
            }
            foreach (var refusal in plan.RefusalsWithout(request.Yes))
            {
                output.Error(refusal);
            }
            if (plan.Refused || !request.Yes)
            {
                return 1;
            }
            var source = new RestoreTarget(tenant, kubectl);
            var choice = new RestoreChoice(request.At, request.WithMedia!.Value, request.KeepStopped, request.RecoveredGeneration);
            // Ctrl+C while the restore runs: the CLI stays to put back what it can (a recovery cluster, lent access,
            // the admin site before its Job started) and to say what is left; a second Ctrl+C ends it at once.
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(shell.Interrupted);
            void OnCancel(object? sender, ConsoleCancelEventArgs e)
            {
                e.Cancel = !interrupt.IsCancellationRequested;
                interrupt.Cancel();
            }
            Console.CancelKeyPress += OnCancel;
            try
            {
                var interruptible = shell with { Interrupted = interrupt.Token };
                var restore = new TenantRestore(interruptible, output);
                return request.IntoSlug is { } intoSlug
                    ? context(parse).ForTenant(intoSlug, into => restore.Run(source, plan.Point, new RestoreTarget(into, TenantBackupsCommand.Kubectl(shell, into, parse.GetValue(kubeContext))), choice))
                    : tenant.Hosting == Hosting.Azure && request.At is not null ? new AzurePointInTimeRestore(interruptible, output).Run(source, plan.Point, choice)
                    : restore.Run(source, plan.Point, into: null, choice);
            }
            finally
            {
                Console.CancelKeyPress -= OnCancel;
            }
        }));
        return command;
    }

    /// <summary>
    /// The recovery window of a kubernetes tenant's cluster generation (the one --generation names, else the running one):
    /// from the Barman Cloud plugin's first recoverability point of that generation's server in the ObjectStore's status
    /// (plugin-barman-cloud v0.13.0 api/v1/objectstore_types.go serverRecoveryWindow, keyed by serverName; the Cluster's own
    /// firstRecoverabilityPoint "is not set for backup plugins", cloudnative-pg v1.30.0 api/v1/cluster_types.go) to the last
    /// archived WAL while the running Cluster archives that generation, else to that server's last base backup (an earlier
    /// generation archives no more, and nothing in a status says where its archive ends). Recovery replays archived WAL
    /// only, so a target past the last archived segment would wait out the deadline; the Cluster's status keeps no archive
    /// time, PostgreSQL's pg_stat_archiver.last_archived_time on the primary has it (what 'kubectl cnpg status' shows as
    /// Last Archived WAL).
    /// </summary>
    private static (DateTimeOffset? From, DateTimeOffset? Until) RecoveryWindow(Kubectl kubectl, Tenant tenant, int generation)
    {
        var server = CloudNativePg.ServerNameOf(generation);
        var window = kubectl.Run("get", $"objectstores.barmancloud.cnpg.io/{CloudNativePg.ObjectStoreName}", "-o",
            $"jsonpath={{.status.serverRecoveryWindow['{server}'].firstRecoverabilityPoint}}|{{.status.serverRecoveryWindow['{server}'].lastSuccessfulBackupTime}}");
        var parts = window.Succeeded ? window.Output.Trim().Split('|') : [];
        if (parts.Length != 2 || !DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, out var from))
        {
            return (null, null);
        }
        var running = generation == tenant.Backup.DatabaseGeneration;
        var archiving = running ? kubectl.Run("get", $"clusters.postgresql.cnpg.io/{CloudNativePg.ClusterName}", "-o",
            "jsonpath={.status.conditions[?(@.type==\"ContinuousArchiving\")].status}") : null;
        var archived = archiving is { Succeeded: true } && archiving.Output.Trim() == "True"
            ? DatabasePrimary.Exec(kubectl, "psql", "--no-psqlrc", "--no-align", "--tuples-only", "--command", "SELECT last_archived_time FROM pg_stat_archiver")
            : null;
        return archived is { Succeeded: true } && DateTimeOffset.TryParse(archived.Output.Trim(), CultureInfo.InvariantCulture, out var wal) ? (from, wal)
            : DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, out var last) ? (from, last) : (from, null);
    }

    /// <summary>--media or --no-media; neither or both is no choice (the plan refuses it).</summary>
    private static bool? MediaChoice(bool media, bool noMedia) => media == noMedia ? null : media;

    /// <summary>An import runs, or kubectl cannot say whether one does (refused either way: fail closed).</summary>
    private static bool ImportRunning(Kubectl kubectl) =>
        kubectl.ActiveJobs(TenantObjects.ComponentLabel, ImportManifests.ImportComponent) is not { Length: 0 };
}
