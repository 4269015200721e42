using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.Cli.Backup;

/// <summary>
/// <c>tenant restore --at ... --yes</c> for an <c>azure</c> tenant (<see cref="AzurePointInTime"/>): restores the tenant's
/// flexible server as of the time into a new server with <c>az</c> while the admin site runs, then restores from it as
/// <c>--backup</c> does (<see cref="TenantRestore"/>: the admin site stopped for the Job only, the dump loaded beside the
/// current data), then deletes the new server, also when a step failed or the operator interrupted. Where it cannot be
/// deleted, or the restore Job may still read it, the command names it with the exact command that deletes it: it is
/// billed until then. az runs as the operator's own sign-in and current subscription (<c>az account show</c>).
/// </summary>
public sealed class AzurePointInTimeRestore(Shell shell, CliOutput output)
{
    /// <summary>The window of the tenant's server as az reads it; (null, null), and the reason said, when az cannot read it.</summary>
    public static (DateTimeOffset? From, DateTimeOffset? Until) Window(Shell shell, Tenant tenant, CliOutput output)
    {
        var show = Az(shell, AzurePointInTime.Show(tenant, tenant.Names.PostgresServer));
        if (!show.Succeeded)
        {
            output.Error($"az cannot read the flexible server {tenant.Names.PostgresServer} in {tenant.Names.ResourceGroup}: {show.Reason} (az login, and az account set --subscription to the fleet's).");
            return (null, null);
        }
        return AzurePointInTime.Window(AzurePointInTime.EarliestRestoreDate(show.Output), shell.Time.GetUtcNow());
    }

    /// <param name="point">The restore point /media comes from (none without /media), as the plan chose it.</param>
    public int Run(RestoreTarget target, RestorePoint? point, RestoreChoice choice)
    {
        var tenant = target.Tenant;
        var at = choice.At ?? throw new InvalidOperationException("An azure point-in-time restore needs a time.");
        var temporary = AzurePointInTime.ServerName(tenant, shell.Time.GetUtcNow());
        var delete = AzurePointInTime.CommandLine(AzurePointInTime.Delete(tenant, temporary));
        output.Line($"Restoring the flexible server {tenant.Names.PostgresServer} as of {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC into the new server {temporary}, while the admin site runs (it is billed until deleted; this can take an hour or more).");
        var keep = false;
        try
        {
            var restored = Az(shell, AzurePointInTime.Restore(tenant, temporary, at));
            if (!restored.Succeeded || shell.Interrupted.IsCancellationRequested)
            {
                output.Error(restored.Succeeded
                    ? "Interrupted before the admin site was stopped."
                    : $"The restore into {temporary} did not complete: {restored.Reason}");
                output.Error("Nothing of the current data was changed.");
                return CliContext.Failure;
            }
            var show = Az(shell, AzurePointInTime.Show(tenant, temporary));
            if ((show.Succeeded ? AzurePointInTime.HostOf(show.Output) : null) is not { } host)
            {
                output.Error($"Cannot read the host name of {temporary}: {(show.Succeeded ? "az printed none" : show.Reason)}. Nothing of the current data was changed.");
                return CliContext.Failure;
            }
            var code = new TenantRestore(shell, output).Run(target, point, into: null, choice with { RecoveredServer = host });
            // A restore Job that may still run may still be dumping from the server: it stays until the Job has ended.
            if (target.Kubectl.ActiveJobs(TenantObjects.ComponentLabel, RestoreJob.Component) is not { Length: 0 })
            {
                keep = true;
                output.Error($"  Left for it: the server {temporary}, billed until deleted (then: {delete}).");
            }
            return code;
        }
        finally
        {
            if (!keep)
            {
                Remove(tenant, temporary, delete);
            }
        }
    }

    /// <summary>Deletes the temporary server; where az cannot (or a failed restore left none), says what may be left and how to delete it.</summary>
    private void Remove(Tenant tenant, string temporary, string delete)
    {
        output.Line($"Deleting the server {temporary}.");
        var deleted = Az(shell, AzurePointInTime.Delete(tenant, temporary));
        if (!deleted.Succeeded)
        {
            output.Error($"The server {temporary} was not deleted: {deleted.Reason}. If it exists (az postgres flexible-server list --resource-group {tenant.Names.ResourceGroup}), it is billed until deleted: {delete}");
        }
    }

    private static ProcessResult Az(Shell shell, IReadOnlyList<string> arguments) =>
        shell.Processes.Run(new ProcessCall(AzurePointInTime.Program, arguments));
}
