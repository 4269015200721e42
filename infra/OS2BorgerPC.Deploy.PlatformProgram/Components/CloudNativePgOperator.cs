using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Pulumi;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>The CloudNativePG operator, cluster-wide: kubernetes-hosted tenants' databases are its Clusters.</summary>
public sealed class CloudNativePgOperator : ComponentResource
{
    public CloudNativePgOperator(PlatformSettings platform, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:CloudNativePgOperator", platform.Name, options)
    {
        HelmRelease.Install(DatabaseOperator.Release, DatabaseOperator.Namespace, platform.Charts.CloudNativePg, [], this);
        RegisterOutputs();
    }
}
