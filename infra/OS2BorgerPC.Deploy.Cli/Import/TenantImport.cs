using System.Security.Cryptography;
using OS2BorgerPC.Deploy.Cli.Backup;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Import;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.Cli.Import;

/// <summary>What the operator asked to import, and where.</summary>
public sealed record ImportRequest(string DumpFile, string MediaFile, bool Replace, string? Context);

/// <summary>
/// <c>tenant import</c>: checks the dump and the media archive on this machine, then, in the tenant's
/// namespace: (with --replace, a backup first) uploads both to a staging volume through a short-lived pod,
/// runs templates/import.sh as a one-off Job with the tenant's own credentials, restarts the admin site so its
/// migrations run, and reports what arrived. A failed check stops it before anything in the cluster changes.
/// On kubernetes the staging volume is a claim of the import's own (<see cref="StagingClaim"/>), sized from the two
/// files, and removed when the import ends however it ends (or named, with the command that removes it).
/// </summary>
public sealed class TenantImport(Shell shell, CliOutput output)
{
    private const string UploadContainer = "upload";

    public int Run(Tenant tenant, ImportRequest request)
    {
        if (!tenant.HasLiveCluster)
        {
            return Refused(new Refusal($"Tenant {tenant.Slug} renders its manifests to {tenant.Cluster.RenderToDirectory} instead of running on a cluster.",
                "Import into a tenant that runs on a cluster (cluster.renderToDirectory unset)."));
        }
        output.Line($"Checking {request.DumpFile} and {request.MediaFile} (nothing changes before they pass).");
        var (plan, refusal) = Check(tenant, request);
        if (plan is null)
        {
            return Refused(refusal!);
        }

        var kubectl = new Kubectl(shell.Processes, request.Context ?? tenant.Cluster.Context, tenant.Names.Namespace);
        output.Line($"Importing into {tenant.DisplayName} ({tenant.Slug}): namespace {tenant.Names.Namespace}, context {kubectl.Context}.");
        var found = kubectl.Run("get", $"deployment/{TenantObjects.AdminSite}", $"cronjob/{TenantObjects.Backup}", "-o", "name");
        if (!found.Succeeded)
        {
            return Refused(new Refusal($"The tenant's admin site or backup CronJob is not there: {found.Reason}",
                $"Provision the tenant first (pulumi up --stack {tenant.Slug}), or give the cluster's kubeconfig context with --context."));
        }
        // One import or restore at a time: both replace the data, and the quota holds one of them.
        var restores = kubectl.ActiveJobs(TenantObjects.ComponentLabel, RestoreJob.Component);
        if (restores is not { Length: 0 })
        {
            return Refused(restores is null
                ? new Refusal($"Cannot tell whether a restore of {tenant.Slug} is running (kubectl get jobs failed).", "Check kubectl's access to the cluster, then import again.")
                : new Refusal($"A restore of {tenant.Slug} is running ({restores}).", $"Wait for it (kubectl --namespace {tenant.Names.Namespace} get jobs), then import."));
        }

        if (plan.Replace && !BackupFirst(kubectl, plan))
        {
            return CliContext.Failure;
        }
        if (tenant.Hosting == Hosting.Kubernetes && !MakeStagingClaim(kubectl, plan))
        {
            return CliContext.Failure;
        }
        try
        {
            if (!Upload(kubectl, plan, request))
            {
                return CliContext.Failure;
            }
            return RunImport(kubectl, plan);
        }
        finally
        {
            if (tenant.Hosting == Hosting.Kubernetes)
            {
                RemoveStagingClaim(kubectl, plan);
            }
        }
    }

    /// <summary>The import's staging claim, in the class of the database's own volumes (the tenant's data class).</summary>
    private bool MakeStagingClaim(Kubectl kubectl, ImportPlan plan)
    {
        var storageClass = kubectl.Run("get", "pvc", "-l", $"{CloudNativePg.ClusterLabel}={CloudNativePg.ClusterName}", "-o", "jsonpath={.items[0].spec.storageClassName}");
        if (!storageClass.Succeeded || storageClass.Output.Trim().Length == 0)
        {
            output.Error($"Cannot read the storage class of {plan.Tenant.Slug}'s database volumes, which the staging claim takes: {(storageClass.Succeeded ? "none found" : storageClass.Reason)}. Nothing was changed.");
            return false;
        }
        var claim = plan.StagingClaim(storageClass.Output.Trim());
        output.Line($"Staging on a claim of its own: {claim.Name}, {claim.SizeGiB} GiB in {claim.StorageClass} (removed when the import ends).");
        var applied = kubectl.Apply(ImportManifests.Yaml(ImportManifests.StagingClaim(plan, claim.StorageClass)));
        if (!applied.Succeeded)
        {
            output.Error($"The staging claim was not created: {applied.Reason}. Nothing was changed.");
            return false;
        }
        return true;
    }

    /// <summary>
    /// The staging claim goes, and its volume with it (set to Delete once bound: the data class retains released
    /// volumes). A claim a pod still uses is removed only once that pod has ended (Kubernetes' pvc-protection
    /// finalizer), so an import Job that goes on after an interruption keeps its uploads until it ends.
    /// </summary>
    private void RemoveStagingClaim(Kubectl kubectl, ImportPlan plan)
    {
        var ns = plan.Tenant.Names.Namespace;
        var volume = kubectl.Run("get", $"pvc/{plan.StagingClaimName}", "-o", "jsonpath={.spec.volumeName}");
        var name = volume.Succeeded ? volume.Output.Trim() : "";
        if (name.Length > 0 && !kubectl.DeleteOnRelease(name).Succeeded)
        {
            output.Error($"The volume {name} of the staging claim stays once released (reclaimPolicy Retain): kubectl delete persistentvolume {name}, and delete its disk.");
        }
        if (!kubectl.Run("delete", $"pvc/{plan.StagingClaimName}", "--ignore-not-found", "--wait=false").Succeeded)
        {
            output.Error($"The staging claim {plan.StagingClaimName} is left over. Remove it with: kubectl --namespace {ns} delete pvc/{plan.StagingClaimName}{(name.Length > 0 ? $" (then, if it stays Released: kubectl delete persistentvolume {name})" : "")}");
        }
    }

    /// <summary>The checks on this machine: the dump is a dump of OS2's admin site, the archive a safe .tar.gz.</summary>
    private (ImportPlan?, Refusal?) Check(Tenant tenant, ImportRequest request)
    {
        foreach (var file in new[] { request.DumpFile, request.MediaFile })
        {
            if (!File.Exists(file))
            {
                return (null, new Refusal($"{file} does not exist.", "Give the path of the dump with --dump and of the /media archive with --media."));
            }
        }
        var (head, tail) = Ends(request.DumpFile);
        var (kind, notADump) = DumpInspector.Identify(head, request.DumpFile);
        if (kind is null)
        {
            return (null, notADump);
        }
        if (kind.Format == DumpFormat.Plain && DumpInspector.CheckEnd(tail, request.DumpFile) is { } incomplete)
        {
            return (null, incomplete);
        }
        var (migrations, unreadable) = ReadMigrations(kind, request.DumpFile);
        if (migrations is null)
        {
            return (null, unreadable);
        }
        var history = DumpInspector.CheckHistory(migrations, request.DumpFile);
        if (history.Refusal is not null)
        {
            return (null, history.Refusal);
        }
        MediaArchive? media;
        Refusal? badArchive;
        using (var archive = File.OpenRead(request.MediaFile))
        {
            (media, badArchive) = MediaArchiveInspector.Inspect(archive, request.MediaFile);
        }
        if (media is null)
        {
            return (null, badArchive);
        }
        output.Line($"  dump: {(kind.Format == DumpFormat.Custom ? $"custom format {kind.ArchiveVersion!.ToString(2)}" : "plain SQL")}, {Size(request.DumpFile)}");
        foreach (var note in history.Notes)
        {
            output.Line($"  {note}");
        }
        output.Line($"  media: {media.FileCount} files, {Mebibytes(media.TotalBytes)}{(media.Root.Length > 0 ? $", under {media.Root}/" : "")}");
        var stamp = ImportPlan.StampOf(shell.Time.GetUtcNow());
        return (new ImportPlan(tenant, stamp, kind.Format, media, request.Replace, new FileInfo(request.DumpFile).Length + new FileInfo(request.MediaFile).Length), null);
    }

    /// <summary>django_migrations from the dump: read from plain SQL, or printed by pg_restore from a custom archive.</summary>
    private (IReadOnlyList<AppliedMigration>?, Refusal?) ReadMigrations(DumpKind kind, string file)
    {
        if (kind.Format == DumpFormat.Plain)
        {
            using var reader = new StreamReader(file);
            return (DumpInspector.ReadMigrations(reader), null);
        }
        var needs = $"PostgreSQL {DumpInspector.MinimumPgRestore(kind.ArchiveVersion!)} or newer";
        var result = shell.Processes.Run(new ProcessCall("pg_restore", ["--data-only", "--table=django_migrations", "--file=-", file]));
        if (result.NotFound)
        {
            return (null, new Refusal($"pg_restore is not installed here; it reads the migration history of a custom-format dump ({file}).",
                $"Install the PostgreSQL client programs ({needs}), or give a plain SQL dump."));
        }
        if (!result.Succeeded)
        {
            return (null, new Refusal($"pg_restore cannot read {file}: {result.Reason}", $"Use a pg_restore of {needs}, or give a plain SQL dump."));
        }
        return (DumpInspector.ReadMigrations(new StringReader(result.Output)), null);
    }

    /// <summary>With --replace: the tenant's own backup CronJob, run once now; nothing else happens unless it succeeds.</summary>
    private bool BackupFirst(Kubectl kubectl, ImportPlan plan)
    {
        output.Line($"Backing up the tenant before replacing its data: job {plan.BackupJobName}.");
        var created = kubectl.Run("create", "job", plan.BackupJobName, $"--from=cronjob/{TenantObjects.Backup}");
        if (!created.Succeeded || kubectl.WaitForJob(plan.BackupJobName, shell, JobLimits.DeadlineSeconds) != JobOutcome.Complete)
        {
            output.Error($"The backup before the import did not succeed{(created.Succeeded ? "" : $": {created.Reason}")}. Nothing was changed.");
            output.Error($"See: kubectl --namespace {plan.Tenant.Names.Namespace} logs job/{plan.BackupJobName}");
            return false;
        }
        output.Line("  backup done.");
        return true;
    }

    /// <summary>Streams both files into the backup volume through a short-lived pod, and checks they arrived whole.</summary>
    private bool Upload(Kubectl kubectl, ImportPlan plan, ImportRequest request)
    {
        output.Line($"Uploading to the staging volume ({plan.StagingDir}) through pod {plan.UploadPodName}.");
        var applied = kubectl.Apply(ImportManifests.Yaml(ImportManifests.UploadPod(plan)));
        try
        {
            if (!applied.Succeeded)
            {
                output.Error($"The upload pod was not created: {applied.Reason}. Nothing was changed.");
                return false;
            }
            var ready = kubectl.Run("wait", "--for=condition=Ready", $"pod/{plan.UploadPodName}", "--timeout=10m");
            if (!ready.Succeeded)
            {
                output.Error($"The upload pod did not start: {ready.Reason}. Nothing was changed.");
                return false;
            }
            foreach (var (file, path) in new[] { (request.DumpFile, plan.DumpPath), (request.MediaFile, plan.MediaArchivePath) })
            {
                var sent = kubectl.Upload(plan.UploadPodName, UploadContainer, file, path);
                var expected = Sha256(file);
                if (!sent.Succeeded || kubectl.Sha256(plan.UploadPodName, UploadContainer, path) != expected)
                {
                    output.Error($"Uploading {file} failed{(sent.Succeeded ? ": it arrived with another checksum" : $": {sent.Reason}")}. Nothing was changed.");
                    return false;
                }
                output.Line($"  {Path.GetFileName(file)} -> {path} ({Size(file)}, sha256 {expected[..12]}...)");
            }
            return true;
        }
        finally
        {
            if (applied.Succeeded)
            {
                // The staging volume is ReadWriteOnce: the pod lets go of it before the import job mounts it.
                kubectl.Run("delete", $"pod/{plan.UploadPodName}", "--ignore-not-found", "--wait=true");
            }
        }
    }

    private int RunImport(Kubectl kubectl, ImportPlan plan)
    {
        output.Line($"Importing: job {plan.JobName}; its log stays with the job (kubectl --namespace {plan.Tenant.Names.Namespace} logs job/{plan.JobName}).");
        var applied = kubectl.Apply(ImportManifests.Yaml(ImportManifests.ScriptConfigMap(plan), ImportManifests.Job(plan)));
        if (!applied.Succeeded)
        {
            output.Error($"The import job was not created: {applied.Reason}. Nothing was changed.");
            return CliContext.Failure;
        }
        var outcome = kubectl.WaitForJob(plan.JobName, shell, JobLimits.DeadlineSeconds);
        var log = kubectl.Run("logs", $"job/{plan.JobName}", "-c", ImportManifests.ImportComponent);
        foreach (var line in log.Output.TrimEnd().Split('\n').Where(l => l.Length > 0))
        {
            output.Line($"  | {line}");
        }
        kubectl.Run("delete", $"configmap/{plan.ScriptConfigMapName}", "--ignore-not-found");
        var report = ImportReport.Parse(log.Output);
        if (outcome != JobOutcome.Complete)
        {
            output.Error(report.Refused is { } why
                ? $"The import refused: {why}. Nothing was changed."
                : $"The import failed (see its log above, or kubectl --namespace {plan.Tenant.Names.Namespace} logs job/{plan.JobName}).");
            return CliContext.Failure;
        }

        output.Line("Restarting the admin site, so its migrations run on the imported data.");
        var restarted = kubectl.Run("rollout", "restart", $"deployment/{TenantObjects.AdminSite}");
        var rolledOut = restarted.Succeeded ? kubectl.Run("rollout", "status", $"deployment/{TenantObjects.AdminSite}", "--timeout=15m") : restarted;
        Summary(plan, report);
        if (!rolledOut.Succeeded)
        {
            output.Error($"The data is imported, but the admin site did not come back: {rolledOut.Reason}.");
            output.Error($"Look at its start (migrations): kubectl --namespace {plan.Tenant.Names.Namespace} logs deployment/{TenantObjects.AdminSite} -c {TenantObjects.AdminSite}");
            return CliContext.Failure;
        }
        return CliContext.Success;
    }

    private void Summary(ImportPlan plan, ImportReport report)
    {
        var tenant = plan.Tenant;
        output.Line();
        output.Line($"Imported into {tenant.Slug}:");
        foreach (var table in report.Tables)
        {
            output.Line($"  {table.Table,-22} {(table.Rows is { } rows ? $"{rows} rows" : "not in the dump")}");
        }
        output.Line($"  {"media files",-22} {report.MediaFiles?.ToString() ?? "(not reported)"}");
        output.Line();
        output.Line("The old installation's users and passwords apply; the kit's bootstrap admin exists only if the imported data had no superuser.");
        output.Line("Repoint the BorgerPCs:");
        output.Line($"  - if {tenant.Host} is the old admin site's host name: point its DNS at the cluster's ingress; the PCs need no change.");
        output.Line($"  - otherwise, on every BorgerPC, as root: set_os2borgerpc_config admin_url {tenant.ClientAdminUrl}");
        output.Line($"    (e.g. as a script job from the old admin site before it is switched off); they then call {tenant.XmlRpcUrl}.");
        output.Line($"  Their networks must be in clientSourceRanges ({string.Join(", ", tenant.ClientSourceRanges)}).");
    }

    private int Refused(Refusal refusal)
    {
        output.Error(refusal.Reason);
        output.Error($"fix: {refusal.Fix}");
        output.Error("Nothing was changed.");
        return CliContext.Failure;
    }

    /// <summary>The first and the last bytes of a file, as much as the dump checks read.</summary>
    private static (byte[] Head, byte[] Tail) Ends(string file)
    {
        using var stream = File.OpenRead(file);
        var head = new byte[DumpInspector.HeadLength];
        head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        stream.Seek(-Math.Min(stream.Length, DumpInspector.TailLength), SeekOrigin.End);
        var tail = new byte[DumpInspector.TailLength];
        return (head, tail[..stream.ReadAtLeast(tail, tail.Length, throwOnEndOfStream: false)]);
    }

    private static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Size(string file) => Mebibytes(new FileInfo(file).Length);

    private static string Mebibytes(long bytes) => $"{bytes / 1048576.0:0.0} MiB";
}
