using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Model;

/// <summary>
/// How the platform installs the CloudNativePG operator: its chart's release name and namespace, and so the labels
/// the chart puts on the operator's pods (app.kubernetes.io/name is the chart's name, app.kubernetes.io/instance the
/// release's). Tenants admit exactly these pods into their database instances.
/// </summary>
public static class DatabaseOperator
{
    public const string Release = "cloudnative-pg";
    public const string Namespace = "cnpg-system";

    /// <summary>The Barman Cloud plugin's release, in the operator's namespace, as the plugin requires (plugin-barman-cloud v0.13.0 web/docs/usage.md).</summary>
    public const string PluginRelease = "plugin-barman-cloud";

    /// <summary>
    /// The operator's configuration (the chart's <c>config.data</c>, its ConfigMap). In-place updates of the instance
    /// manager: by default every operator upgrade rolls every PostgreSQL pod of every tenant (a new instance manager
    /// through the init container: a restart, and a switchover where there are replicas); with this the new instance
    /// manager replaces itself inside each running pod and adopts the running postmaster, so PostgreSQL is not restarted
    /// (cloudnative-pg v1.30.0 docs/src/installation_upgrade.md "In-place updates of the instance manager",
    /// docs/src/operator_conf.md ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES, default false). The price, as upstream states it:
    /// the pods' specs keep naming the old init image. Changes that need a new pod (a new PostgreSQL image) still roll.
    /// </summary>
    public static IReadOnlyDictionary<string, object> Configuration { get; } = new Dictionary<string, object>
    {
        ["ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES"] = "true",
    };

    public static OperatorPods Pods { get; } = new(Namespace, ImmutableDictionary<string, string>.Empty
        .Add("app.kubernetes.io/name", "cloudnative-pg")
        .Add("app.kubernetes.io/instance", Release));
}
