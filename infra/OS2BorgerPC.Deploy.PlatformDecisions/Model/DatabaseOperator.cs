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

    public static OperatorPods Pods { get; } = new(Namespace, ImmutableDictionary<string, string>.Empty
        .Add("app.kubernetes.io/name", "cloudnative-pg")
        .Add("app.kubernetes.io/instance", Release));
}
