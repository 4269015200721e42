using System.CommandLine;
using System.Globalization;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.Tenants.Backup;
using OS2BorgerPC.Deploy.Tenants.Model;
using OS2BorgerPC.Deploy.Tenants.Naming;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant backups</c>: a tenant's restore points off-site and how old its newest backup is.</summary>
public static class TenantBackupsCommand
{
    /// <summary>The backup CronJob's container that reaches the repository (Infra's BackupJob.UploadContainer).</summary>
    public const string UploadContainer = "upload";

    public static Command Create(Func<ParseResult, CliContext> context, Shell shell)
    {
        var slug = new Argument<string>("slug") { Description = "The tenant's slug (its stack name); the tenant must be provisioned (pulumi up)." };
        var kubeContext = new Option<string?>("--context") { Description = "kubeconfig context of the tenant's cluster; default: the tenant's cluster.context, else the current one." };
        var command = new Command("backups", "List a tenant's restore points off-site and the age of its newest backup.") { slug, kubeContext };
        command.SetAction(parse => context(parse).ForTenant(parse.GetRequiredValue(slug), tenant =>
            Run(tenant, new Kubectl(shell.Processes, parse.GetValue(kubeContext) ?? tenant.Cluster.Context, tenant.Names.Namespace), shell, context(parse).Output)));
        return command;
    }

    private static int Run(Tenant tenant, Kubectl kubectl, Shell shell, CliOutput output)
    {
        var cronJob = kubectl.Run("get", $"cronjob/{TenantObjects.Backup}", "-o", "json");
        if (!cronJob.Succeeded)
        {
            output.Error($"{tenant.Slug}: cannot read the CronJob {TenantObjects.Backup} in {tenant.Names.Namespace} ({kubectl.Context}): {cronJob.Error.Trim()}");
            return 1;
        }
        var job = $"{BackupQuery.ListJobPrefix}{shell.Time.GetUtcNow():yyyyMMdd-HHmmss}";
        var applied = kubectl.Apply(BackupQuery.ListJob(cronJob.Output, job, UploadContainer));
        if (!applied.Succeeded)
        {
            output.Error($"{tenant.Slug}: could not start {job}: {applied.Error.Trim()}");
            return 1;
        }
        try
        {
            var deadline = shell.Time.GetUtcNow().AddSeconds(BackupQuery.ListDeadlineSeconds + 60);
            var outcome = kubectl.JobStatus(job);
            while (outcome == JobOutcome.Running && shell.Time.GetUtcNow() < deadline)
            {
                Thread.Sleep(shell.PollInterval);
                outcome = kubectl.JobStatus(job);
            }
            var logs = kubectl.Run("logs", $"job/{job}", "-c", UploadContainer);
            if (outcome != JobOutcome.Complete)
            {
                output.Error($"{tenant.Slug}: the backup target could not be read ({job} {outcome.ToString().ToLowerInvariant()}): {logs.Output.Trim()} {logs.Error.Trim()}");
                return 1;
            }
            var overview = BackupOverview.Of(RestorePoint.FromResticSnapshots(logs.Output), shell.Time.GetUtcNow());
            foreach (var point in overview.Points)
            {
                output.Line($"{point.Name}\t{(point.Kind == BackupKind.PreUpgrade ? $"restore point of {point.Version}" : "nightly")}\t{point.TakenAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
            }
            var age = overview.LastBackupAge is { } a ? $"{(int)a.TotalHours} h {a.Minutes} min ago" : "never";
            output.Line($"{tenant.Slug}: {overview.Points.Count} backups; the newest {age}{(overview.Overdue ? " — OVERDUE: see the backup CronJob's last Jobs (docs/RUNBOOK.md, 'Backups and restore points')" : "")}.");
            return overview.Overdue ? 1 : 0;
        }
        finally
        {
            kubectl.Run("delete", $"job/{job}", "--ignore-not-found", "--wait=false");
        }
    }
}
