using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Pulumi;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>
/// The CloudNativePG operator, cluster-wide: kubernetes-hosted tenants' databases are its Clusters. Beside it, in its
/// namespace, the Barman Cloud plugin that archives their WAL and takes their base backups (its gRPC certificates
/// are cert-manager's, so it waits for cert-manager).
/// </summary>
public sealed class CloudNativePgOperator : ComponentResource
{
    public CloudNativePgOperator(PlatformSettings platform, CertManager certManager, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:CloudNativePgOperator", platform.Name, options)
    {
        var values = new InputMap<object>
        {
            ["config"] = new Dictionary<string, object> { ["data"] = DatabaseOperator.Configuration },
        };
        var (space, chart) = HelmRelease.Install(DatabaseOperator.Release, DatabaseOperator.Namespace, platform.Charts.CloudNativePg, values, this);
        HelmRelease.InstallInto(DatabaseOperator.PluginRelease, DatabaseOperator.Namespace, platform.Charts.BarmanCloudPlugin, [], this, space, chart, certManager.Chart);
        RegisterOutputs();
    }
}
