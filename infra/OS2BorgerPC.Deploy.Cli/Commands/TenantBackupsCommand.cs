using System.CommandLine;
using System.Globalization;
using OS2BorgerPC.Deploy.Cli.Backup;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant backups</c>: a tenant's restore points off-site and how old its newest backup is.</summary>
public static class TenantBackupsCommand
{
    public static Command Create(Func<ParseResult, CliContext> context, Shell shell)
    {
        var slug = new Argument<string>("slug") { Description = "The tenant's slug (its stack name); the tenant must be provisioned (pulumi up)." };
        var kubeContext = KubeContextOption();
        var command = new Command("backups", "List a tenant's restore points off-site and the age of its newest backup.") { slug, kubeContext };
        command.SetAction(parse => context(parse).ForTenant(parse.GetRequiredValue(slug), tenant =>
        {
            var output = context(parse).Output;
            var (points, error) = new RestorePointReader(Kubectl(shell, tenant, parse.GetValue(kubeContext)), shell).Read(tenant);
            if (points is null)
            {
                output.Error(error!);
                return 1;
            }
            var overview = BackupOverview.Of(points, shell.Time.GetUtcNow());
            foreach (var point in overview.Points)
            {
                output.Line($"{point.Name}\t{(point.Kind == BackupKind.PreUpgrade ? $"restore point of {point.Version}" : "nightly")}\t{point.TakenAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
            }
            var age = overview.LastBackupAge is { } a ? $"{(int)a.TotalHours} h {a.Minutes} min ago" : "never";
            output.Line($"{tenant.Slug}: {overview.Points.Count} backups; the newest {age}{(overview.Overdue ? " — OVERDUE: see the backup CronJob's last Jobs (docs/RUNBOOK.md, 'Backups and restore points')" : "")}.");
            return overview.Overdue ? 1 : 0;
        }));
        return command;
    }

    internal static Option<string?> KubeContextOption() =>
        new("--context") { Description = "kubeconfig context of the tenant's cluster; default: the tenant's cluster.context, else the current one." };

    internal static Kubectl Kubectl(Shell shell, TenantDecisions.Model.Tenant tenant, string? context) =>
        new(shell.Processes, context ?? tenant.Cluster.Context, tenant.Names.Namespace);
}
