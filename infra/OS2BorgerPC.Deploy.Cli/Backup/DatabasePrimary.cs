using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;

namespace OS2BorgerPC.Deploy.Cli.Backup;

/// <summary>A command in the postgres container of the CloudNativePG cluster's primary (the pod labelled <c>cnpg.io/instanceRole=primary</c>).</summary>
public static class DatabasePrimary
{
    public static ProcessResult Exec(Kubectl kubectl, params string[] command)
    {
        var primary = kubectl.Run("get", "pods", "-l", $"cnpg.io/cluster={CloudNativePg.ClusterName},cnpg.io/instanceRole=primary", "-o", "name");
        var name = primary.Output.Trim();
        if (!primary.Succeeded || name.Length == 0 || name.Contains('\n'))
        {
            return primary.Succeeded ? new ProcessResult(1, "", $"no single primary pod of the cluster {CloudNativePg.ClusterName} ('{name}')") : primary;
        }
        return kubectl.Run(["exec", name, "-c", "postgres", "--", .. command]);
    }
}
