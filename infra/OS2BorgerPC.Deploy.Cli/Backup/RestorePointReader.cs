using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.Cli.Backup;

/// <summary>
/// Reads a tenant's restore points in its cluster: a one-off Job made from the backup CronJob (<see cref="BackupQuery"/>)
/// lists the restic snapshots with the backup's own access; the Job is removed afterwards.
/// </summary>
public sealed class RestorePointReader(Kubectl kubectl, Shell shell)
{
    /// <summary>The backup CronJob's container that reaches the repository (the tenant program's BackupJob.UploadContainer).</summary>
    public const string UploadContainer = "upload";

    /// <returns>The restore points, oldest first, or why they could not be read.</returns>
    public (IReadOnlyList<RestorePoint>? Points, string? Error) Read(Tenant tenant)
    {
        var cronJob = kubectl.Run("get", $"cronjob/{TenantObjects.Backup}", "-o", "json");
        if (!cronJob.Succeeded)
        {
            return (null, $"{tenant.Slug}: cannot read the CronJob {TenantObjects.Backup} in {tenant.Names.Namespace} ({kubectl.Context}): {cronJob.Error.Trim()}");
        }
        var job = $"{BackupQuery.ListJobPrefix}{shell.Time.GetUtcNow():yyyyMMdd-HHmmss}";
        var applied = kubectl.Apply(BackupQuery.ListJob(cronJob.Output, job, UploadContainer));
        if (!applied.Succeeded)
        {
            return (null, $"{tenant.Slug}: could not start {job}: {applied.Error.Trim()}");
        }
        try
        {
            var outcome = kubectl.WaitForJob(job, shell, BackupQuery.ListDeadlineSeconds);
            var logs = kubectl.Run("logs", $"job/{job}", "-c", UploadContainer);
            return outcome == JobOutcome.Complete
                ? (RestorePoint.FromResticSnapshots(logs.Output), null)
                : (null, $"{tenant.Slug}: the backup target could not be read ({job} {outcome.ToString().ToLowerInvariant()}): {logs.Output.Trim()} {logs.Error.Trim()}");
        }
        finally
        {
            kubectl.Run("delete", $"job/{job}", "--ignore-not-found", "--wait=false");
        }
    }
}
