namespace OS2BorgerPC.Deploy.PlatformDecisions.Model;

/// <summary>A Helm chart as the platform installs it: where it is published, its name there, and the exact version.</summary>
/// <param name="Repository">A Helm repository URL (https://…), or empty where <paramref name="Chart"/> is an OCI reference.</param>
/// <param name="Chart">The chart's name in <paramref name="Repository"/>, or a full <c>oci://</c> reference.</param>
public sealed record HelmChart(string Repository, string Chart, string Version)
{
    public bool IsOci => Chart.StartsWith("oci://", StringComparison.Ordinal);
}

/// <summary>
/// Every chart of the platform, pinned here and nowhere else. A platform stack may pin another version of a chart
/// (platform.charts.&lt;name&gt;), e.g. to roll one cluster ahead; where it is published stays fixed.
/// </summary>
public sealed record ChartVersions(HelmChart EnvoyGateway, HelmChart CertManager, HelmChart CloudNativePg, HelmChart BarmanCloudPlugin)
{
    /// <summary>The kit's pins. Upgrade one chart at a time, on a staging platform first (docs/FROM-ZERO.md).</summary>
    public static readonly ChartVersions Pinned = new(
        // Envoy Gateway publishes its chart only as an OCI artifact; the chart installs the Gateway API CRDs too.
        EnvoyGateway: new HelmChart("", "oci://docker.io/envoyproxy/gateway-helm", "v1.7.0"),
        CertManager: new HelmChart("https://charts.jetstack.io", "cert-manager", "v1.19.1"),
        // Operator 1.30.0 (chart appVersion), Kubernetes 1.34-1.36; end of life "~ Dec 2026", three months after 1.31.0
        // (cloudnative-pg docs/src/supported_releases.md): as a date, 2026-12-31. Tag cloudnative-pg-v0.29.0 of cloudnative-pg/charts.
        CloudNativePg: new HelmChart("https://cloudnative-pg.github.io/charts", "cloudnative-pg", "0.29.0"),
        // The Barman Cloud plugin v0.13.0 (chart appVersion; tag plugin-barman-cloud-v0.7.0 of cloudnative-pg/charts),
        // beside the operator; its certificates come from cert-manager.
        BarmanCloudPlugin: new HelmChart("https://cloudnative-pg.github.io/charts", "plugin-barman-cloud", "0.7.0"));

    /// <summary>The config keys below platform.charts, and the chart each names.</summary>
    public IReadOnlyList<(string Key, HelmChart Chart)> ByKey =>
    [
        ("envoyGateway", EnvoyGateway),
        ("certManager", CertManager),
        ("cloudNativePg", CloudNativePg),
        ("barmanCloudPlugin", BarmanCloudPlugin),
    ];
}
