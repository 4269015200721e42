using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.Cli.Backup;

/// <summary>One tenant whose namespace a restore works in, and how to reach it.</summary>
public sealed record RestoreTarget(Tenant Tenant, Kubectl Kubectl);

/// <summary>How a restore goes: to a point in time (<paramref name="At"/>) or not, with /media or the database only, and whether the admin site starts again.</summary>
/// <param name="Generation">The cluster generation whose archive <paramref name="At"/> is recovered from (<see cref="RestoreRequest.RecoveredGeneration"/>).</param>
/// <param name="RecoveredServer">A server already recovered to <paramref name="At"/> elsewhere (azure: <see cref="AzurePointInTimeRestore"/>), whose certificate chains to the tenant's own roots: the database is dumped from it, no CloudNativePG recovery is made.</param>
public sealed record RestoreChoice(DateTimeOffset? At, bool WithMedia, bool KeepStopped, int Generation = 1, string? RecoveredServer = null);

/// <summary>
/// Carries out a restore plan (<c>tenant restore --backup|--at ... --yes</c>): for a point in time, first recovers the
/// database into a cluster beside the running one (<see cref="RecoveryCluster"/>); then, while the admin site still
/// serves, runs the <see cref="RestoreJob"/>'s fetch Job (the off-site fetch, or the recovered database's dump) into a
/// side folder; only once that succeeded, stops the target's admin site, runs the load Job, and starts the admin site
/// again whatever happened, so it runs on the restored data, or on its own data where the load failed (which the load
/// leaves as it was).
/// For a restore into another tenant, the source's repository access is copied into the target's namespace for
/// the restore only, piped to kubectl (never an argument), and deleted afterwards.
/// </summary>
public sealed class TenantRestore(Shell shell, CliOutput output)
{
    /// <param name="point">The restore point to restore; with a point in time, the one /media comes from (none without /media).</param>
    /// <param name="choice">With <see cref="RestoreChoice.At"/>, the database is recovered to that time (CloudNativePG, in the tenant itself).</param>
    public int Run(RestoreTarget source, RestorePoint? point, RestoreTarget? into, RestoreChoice choice)
    {
        var target = into ?? source;
        var at = choice.At;
        var run = new RestoreRun(RestoreRun.StampOf(shell.Time.GetUtcNow()), point?.Name, Source: null,
            RecoveredHost: at is null ? null : choice.RecoveredServer ?? RecoveryCluster.ReadWriteHost, WithMedia: choice.WithMedia,
            RecoveredSharesTenantCa: choice.RecoveredServer is not null);
        var kubectl = target.Kubectl;
        var cronJob = kubectl.Run("get", $"cronjob/{TenantObjects.Backup}", "-o", "json");
        if (!cronJob.Succeeded)
        {
            return Refused($"Cannot read the backup CronJob of {target.Tenant.Slug} in {target.Tenant.Names.Namespace} ({kubectl.Context}): {cronJob.Reason}");
        }
        List<string> cleanUp = [];
        try
        {
            if (into is not null && !LendSourceAccess(source, target, ref run, cleanUp))
            {
                return CliContext.Failure;
            }
            if (at is { } time && choice.RecoveredServer is null && !Recover(target, time, choice.Generation, cleanUp))
            {
                return CliContext.Failure;
            }
            var replicas = kubectl.Run("get", $"deployment/{TenantObjects.AdminSite}", "-o", "jsonpath={.spec.replicas}");
            if (!replicas.Succeeded || !int.TryParse(replicas.Output.Trim(), out var running))
            {
                return Refused($"Cannot read the admin site of {target.Tenant.Slug}: {replicas.Reason}");
            }
            run = run with { GrowHint = LoadSpace.GrowHint(target.Tenant) };
            output.Line($"Restoring {run.Point ?? "the recovered database"}{(run.WithMedia ? "" : " (the database only; /media stays as it is)")} into {target.Tenant.Slug}.");
            var scripts = kubectl.Apply(RestoreJob.ScriptConfigMap(run, target.Tenant.Names.Namespace));
            if (!scripts.Succeeded)
            {
                return Refused($"The restore's scripts were not created: {scripts.Reason}");
            }
            cleanUp.Add($"configmap/{run.ScriptConfigMap}");
            if (!Fetch(target, run, cronJob.Output, cleanUp))
            {
                return CliContext.Failure;
            }
            if (target.Tenant.Hosting == Hosting.Kubernetes)
            {
                var (free, unreadable) = DatabaseFreeBytes(kubectl);
                if (free is null)
                {
                    RemoveFetched(target, run);
                    return Refused($"Cannot read the free space of {target.Tenant.Slug}'s database volume, which the load must fit: {unreadable}");
                }
                run = run with { DatabaseFreeBytes = free };
            }
            if (shell.Interrupted.IsCancellationRequested)
            {
                output.Error("Interrupted after the fetch: the admin site was not stopped, and nothing of the data was changed.");
                RemoveFetched(target, run);
                return CliContext.Failure;
            }
            var job = RestoreJob.Job(cronJob.Output, run, RestorePhase.Load);
            output.Line(choice.KeepStopped
                ? $"Stopping the admin site of {target.Tenant.Slug} for the load (it stays stopped afterwards: --keep-stopped)."
                : $"Stopping the admin site of {target.Tenant.Slug} for the load (it runs again afterwards, on the restored data or, if the load fails, on its own).");
            var stopped = kubectl.Run("scale", $"deployment/{TenantObjects.AdminSite}", "--replicas=0");
            var stillRunning = false;
            try
            {
                var gone = stopped.Succeeded
                    ? kubectl.Run("wait", "--for=delete", "pod", "-l", $"{TenantObjects.NameLabel}={TenantObjects.AdminSite}", "--timeout=10m")
                    : stopped;
                if (!gone.Succeeded)
                {
                    return Refused($"The admin site of {target.Tenant.Slug} did not stop: {gone.Reason}. What was fetched is in {run.SideFolder}: remove it with {RemoveFetchedCommand(target, run)}");
                }
                var (code, mayStillRun) = RunJob(target, run, job);
                if (mayStillRun)
                {
                    stillRunning = true;
                    LeaveForJob(cleanUp, target.Tenant.Names.Namespace);
                }
                return code;
            }
            finally
            {
                // Stopped by hand before, it starts with the one replica its stack declares.
                var start = $"kubectl --namespace {target.Tenant.Names.Namespace} scale deployment/{TenantObjects.AdminSite} --replicas={(choice.KeepStopped ? Math.Max(running, 1) : running)}";
                if (stillRunning)
                {
                    output.Error($"The admin site of {target.Tenant.Slug} stays stopped while the restore job may run. Start it afterwards with: {start}");
                }
                else if (choice.KeepStopped)
                {
                    output.Line($"The admin site of {target.Tenant.Slug} stays stopped (0 replicas). Start it on the version it has with: {start}");
                    output.Line($"  or, for a rollback, set adminSite.version in stacks/Pulumi.{target.Tenant.Slug}.yaml to the version restored and run 'pulumi up --stack {target.Tenant.Slug}': it starts the admin site on that version.");
                }
                else
                {
                    output.Line($"Starting the admin site of {target.Tenant.Slug} again ({running} replicas).");
                    var started = kubectl.Run("scale", $"deployment/{TenantObjects.AdminSite}", $"--replicas={running}");
                    var ready = started.Succeeded ? kubectl.Run("rollout", "status", $"deployment/{TenantObjects.AdminSite}", "--timeout=15m") : started;
                    if (!ready.Succeeded)
                    {
                        output.Error($"The admin site did not come back: {ready.Reason}. Start it with: {start}");
                    }
                }
            }
        }
        finally
        {
            foreach (var leftover in cleanUp)
            {
                kubectl.Run("delete", leftover, "--ignore-not-found");
            }
        }
    }

    /// <summary>
    /// A Job that may still run keeps whatever it uses until it has ended (its scripts, a recovery cluster, lent access): each is
    /// named with how to remove it afterwards, and taken off the list the restore removes on its way out.
    /// </summary>
    private void LeaveForJob(List<string> cleanUp, string ns)
    {
        foreach (var leftover in cleanUp)
        {
            output.Error($"  Left for it: {leftover} (then: kubectl --namespace {ns} delete {leftover})");
        }
        cleanUp.Clear();
    }

    /// <summary>
    /// The fetch Job, while the admin site still serves: it writes only into the side folder. Where it does not
    /// complete, the admin site was never stopped; the Job is stopped where it may still run (it changes nothing) and
    /// what it fetched is removed, or named with the commands that finish the clean-up.
    /// </summary>
    /// <returns>Whether the fetch completed.</returns>
    private bool Fetch(RestoreTarget target, RestoreRun run, string cronJob, List<string> cleanUp)
    {
        var kubectl = target.Kubectl;
        var ns = target.Tenant.Names.Namespace;
        output.Line($"Fetching beside the data while the admin site serves: job {run.FetchJobName} (deadline {RestoreJob.FetchDeadlineSeconds / 3600} h).");
        var applied = kubectl.Apply(RestoreJob.Job(cronJob, run, RestorePhase.Fetch));
        if (!applied.Succeeded)
        {
            output.Error($"The fetch job was not created: {applied.Reason}. Nothing was changed; the admin site was not stopped.");
            return false;
        }
        var (outcome, _) = WaitAndShow(target, run, RestorePhase.Fetch);
        if (outcome == JobOutcome.Complete)
        {
            return true;
        }
        var stop = $"kubectl --namespace {ns} delete job/{run.FetchJobName} --cascade=foreground";
        var stopped = outcome == JobOutcome.Failed
            || kubectl.Run("delete", $"job/{run.FetchJobName}", "--ignore-not-found", "--cascade=foreground", "--wait=true", "--timeout=5m").Succeeded;
        output.Error(outcome switch
        {
            JobOutcome.Failed => $"The fetch failed (see its log above, or kubectl --namespace {ns} logs job/{run.FetchJobName} --all-containers).",
            JobOutcome.Interrupted => $"Interrupted during the fetch{(stopped ? $": the job {run.FetchJobName} is stopped" : "")}.",
            _ => $"Could not tell how the fetch job {run.FetchJobName} is doing (kubectl failed {JobWaiting.TransientRetries + 1} times in a row, or it outlasted its deadline){(stopped ? "; it is stopped" : "")}.",
        });
        output.Error($"The admin site of {target.Tenant.Slug} was not stopped, and nothing of its data was changed.");
        if (!stopped)
        {
            output.Error($"  The fetch job may still run: stop it with {stop}, then: {RemoveFetchedCommand(target, run)}");
            LeaveForJob(cleanUp, ns);
            return false;
        }
        RemoveFetched(target, run);
        return false;
    }

    /// <summary>The side folder of a restore that does not go on: removed through the admin site (which mounts /media as the app), or named.</summary>
    private void RemoveFetched(RestoreTarget target, RestoreRun run)
    {
        var removed = target.Kubectl.Run("exec", $"deployment/{TenantObjects.AdminSite}", "-c", TenantObjects.AdminSite, "--", "rm", "-rf", run.SideFolder);
        if (removed.Succeeded)
        {
            output.Error($"  What was fetched ({run.SideFolder}) is removed.");
        }
        else
        {
            output.Error($"  What was fetched is left in {run.SideFolder} on the /media volume (not served, not backed up): {removed.Reason}. Remove it with: {RemoveFetchedCommand(target, run)}");
        }
    }

    private static string RemoveFetchedCommand(RestoreTarget target, RestoreRun run) =>
        $"kubectl --namespace {target.Tenant.Names.Namespace} exec deployment/{TenantObjects.AdminSite} -c {TenantObjects.AdminSite} -- rm -rf {run.SideFolder}";

    /// <summary>Waits for one phase's Job and prints its steps' logs.</summary>
    /// <returns>How it ended, and the last step that wrote anything (where a failed Job stopped: the steps run one after the other).</returns>
    private (JobOutcome Outcome, string? Reached) WaitAndShow(RestoreTarget target, RestoreRun run, RestorePhase phase)
    {
        var kubectl = target.Kubectl;
        var name = run.JobNameOf(phase);
        var outcome = kubectl.WaitForJob(name, shell, RestoreJob.DeadlineOf(phase));
        string? reached = null;
        foreach (var (step, _) in RestoreJob.StepsOf(run, phase))
        {
            var log = kubectl.Run("logs", $"job/{name}", "-c", step);
            var lines = (log.Output + log.Error).TrimEnd().Split('\n').Where(l => l.Length > 0).ToList();
            foreach (var line in lines)
            {
                output.Line($"  {step} | {line}");
            }
            reached = lines.Count > 0 ? step : reached;
        }
        return (outcome, reached);
    }

    /// <summary>The load Job, while the admin site is stopped.</summary>
    /// <returns>The exit code, and whether the Job may still be running (its state could not be read).</returns>
    private (int Code, bool MayStillRun) RunJob(RestoreTarget target, RestoreRun run, string job)
    {
        var kubectl = target.Kubectl;
        var ns = target.Tenant.Names.Namespace;
        output.Line($"Loading: job {run.JobName} (deadline {RestoreJob.LoadDeadlineSeconds / 3600} h).");
        var applied = kubectl.Apply(job);
        if (!applied.Succeeded)
        {
            output.Error($"The restore job was not created: {applied.Reason}. Nothing was changed.");
            RemoveFetched(target, run);
            return (CliContext.Failure, false);
        }
        var (outcome, reached) = WaitAndShow(target, run, RestorePhase.Load);
        if (outcome is JobOutcome.Unknown or JobOutcome.Running or JobOutcome.Interrupted)
        {
            // The Job may still be loading data and moving /media: the admin site must not start on that, and
            // stopping it halfway through moving /media would leave the files split. It is left to end.
            output.Error(outcome == JobOutcome.Interrupted
                ? $"Interrupted: the restore job {run.JobName} goes on in the cluster (stopping it while it moves /media would leave the files split), so the admin site stays stopped."
                : $"Could not tell how the restore job {run.JobName} is doing (kubectl failed {JobWaiting.TransientRetries + 1} times in a row, or it outlasted its deadline): it may still be running, so the admin site stays stopped.");
            output.Error($"  Follow it: kubectl --namespace {ns} get job/{run.JobName} (and logs job/{run.JobName} --all-containers).");
            return (CliContext.Failure, true);
        }
        if (outcome != JobOutcome.Complete)
        {
            output.Error(reached == RestoreJob.MediaStep
                ? $"The database is restored, /media only partly: see the media step above; the files not yet moved are in {run.SideFolder}, the replaced ones in {run.KeptMediaFolder}."
                : $"The restore failed (see its log above, or kubectl --namespace {ns} logs job/{run.JobName} --all-containers). The current data was not changed; what was fetched is in {run.SideFolder} on the /media volume (not served, not backed up): remove it with {RemoveFetchedCommand(target, run)}");
            return (CliContext.Failure, false);
        }
        output.Line();
        output.Line($"Restored {run.Point} into {target.Tenant.Slug}. The data it replaced is kept until you remove it after a check:");
        output.Line($"  database: schema {run.KeepAs} (DROP SCHEMA {run.KeepAs} CASCADE;)");
        if (run.WithMedia)
        {
            output.Line($"  /media:   {run.KeptMediaFolder}");
        }
        return (CliContext.Success, false);
    }

    /// <summary>A point in time: the recovery cluster beside the running one, ready, while the admin site still runs.</summary>
    private bool Recover(RestoreTarget target, DateTimeOffset at, int generation, List<string> cleanUp)
    {
        var kubectl = target.Kubectl;
        const string recovery = $"clusters.postgresql.cnpg.io/{RecoveryCluster.Name}";
        var left = kubectl.Run("get", recovery, "-o", "name", "--ignore-not-found");
        if (!left.Succeeded || left.Output.Trim().Length > 0)
        {
            Refused(left.Succeeded
                ? $"The cluster {RecoveryCluster.Name} is there already: another point-in-time restore is under way, or one was left. Delete it (kubectl --namespace {target.Tenant.Names.Namespace} delete {recovery}) once nothing uses it."
                : $"Cannot read the clusters of {target.Tenant.Slug}: {left.Reason}");
            return false;
        }
        var running = kubectl.Run("get", $"clusters.postgresql.cnpg.io/{CloudNativePg.ClusterName}", "-o", "json");
        if (!running.Succeeded)
        {
            Refused($"Cannot read the database cluster of {target.Tenant.Slug}: {running.Reason}");
            return false;
        }
        output.Line($"Recovering the database as of {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC into the cluster {RecoveryCluster.Name}, beside the running one.");
        var applied = kubectl.Apply(RecoveryCluster.Manifest(running.Output, at, generation));
        if (!applied.Succeeded)
        {
            Refused($"The recovery cluster was not created: {applied.Reason}");
            return false;
        }
        cleanUp.Add(recovery);
        var ready = kubectl.Run("wait", "--for=condition=Ready", recovery, $"--timeout={JobLimits.DeadlineSeconds}s");
        DeleteVolumesWithRecovery(target);
        if (!ready.Succeeded)
        {
            Refused($"The recovery did not complete: {ready.Reason} (kubectl --namespace {target.Tenant.Names.Namespace} describe {recovery} says why; it is deleted now)");
            return false;
        }
        return true;
    }

    /// <summary>
    /// The recovery cluster's disk goes when the cluster goes: the platform's storage classes retain a released volume
    /// (reclaimPolicy Retain, for the tenants' data), so deleting the cluster (and with it its claims, which CNPG labels
    /// cnpg.io/cluster: cloudnative-pg v1.30.0 tests/internal/asserts/cluster/cluster.go lists them so) would leave a
    /// Released volume of tenant data without an owner after each restore. Its volumes are set to Delete first.
    /// </summary>
    private void DeleteVolumesWithRecovery(RestoreTarget target)
    {
        var kubectl = target.Kubectl;
        var claims = kubectl.Run("get", "pvc", "-l", $"{CloudNativePg.ClusterLabel}={RecoveryCluster.Name}", "-o", "jsonpath={.items[*].spec.volumeName}");
        var volumes = claims.Succeeded ? claims.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        foreach (var volume in volumes)
        {
            var patched = kubectl.DeleteOnRelease(volume);
            if (!patched.Succeeded)
            {
                output.Error($"The volume {volume} of {RecoveryCluster.Name} stays once released (reclaimPolicy Retain): {patched.Reason}. After the restore: kubectl delete persistentvolume {volume}, and delete its disk.");
            }
        }
        if (!claims.Succeeded)
        {
            output.Error($"Cannot read the volumes of {RecoveryCluster.Name}: {claims.Reason}. After the restore, delete its Released volumes (kubectl get persistentvolumes) and their disks.");
        }
    }

    /// <summary>The free bytes of the CloudNativePG primary's data volume (<c>df</c> in its pod), or why they cannot be read.</summary>
    private static (long? Free, string? Reason) DatabaseFreeBytes(Kubectl kubectl)
    {
        var df = DatabasePrimary.Exec(kubectl, "df", "-Pk", LoadSpace.DataVolumePath);
        var fields = df.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return df.Succeeded && fields is { Length: >= 4 } && long.TryParse(fields[3], out var kib)
            ? (kib * 1024, null)
            : (null, df.Succeeded ? $"df printed '{df.Output.Trim()}'" : df.Reason);
    }

    /// <summary>For a restore into another tenant: the source's repository and a copy of its access, in the target's namespace.</summary>
    private bool LendSourceAccess(RestoreTarget source, RestoreTarget target, ref RestoreRun run, List<string> cleanUp)
    {
        var cronJob = source.Kubectl.Run("get", $"cronjob/{TenantObjects.Backup}", "-o", "json");
        if (!cronJob.Succeeded)
        {
            Refused($"Cannot read the backup CronJob of {source.Tenant.Slug} in {source.Tenant.Names.Namespace} ({source.Kubectl.Context}): {cronJob.Reason}");
            return false;
        }
        var (from, copy, refusal) = RestoreJob.SourceOf(source.Tenant.Slug, cronJob.Output, target.Tenant);
        if (from is null)
        {
            Refused(refusal!);
            return false;
        }
        run = run with { Source = from };
        var data = new Dictionary<string, string>();
        foreach (var key in copy)
        {
            var value = source.Kubectl.Run("get", $"secret/{key.Secret}", "-o", $"jsonpath={{.data.{key.Key}}}");
            if (!value.Succeeded || value.Output.Trim().Length == 0)
            {
                Refused($"Cannot read {key.Key} of the Secret {key.Secret} of {source.Tenant.Slug}: {value.Reason}");
                return false;
            }
            data[key.TargetKey] = value.Output.Trim();
        }
        var lent = target.Kubectl.Apply(RestoreJob.SourceSecret(run, target.Tenant.Names.Namespace, data));
        if (!lent.Succeeded)
        {
            Refused($"Cannot give {target.Tenant.Slug} read access to {source.Tenant.Slug}'s backups: {lent.Reason}");
            return false;
        }
        cleanUp.Add($"secret/{run.SourceSecret}");
        return true;
    }

    private int Refused(string reason)
    {
        output.Error(reason);
        output.Error("Nothing was changed.");
        return CliContext.Failure;
    }
}
