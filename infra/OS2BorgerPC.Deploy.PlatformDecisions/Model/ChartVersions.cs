namespace OS2BorgerPC.Deploy.PlatformDecisions.Model;

/// <summary>How the platform program installs a chart.</summary>
public enum ChartInstall
{
    /// <summary>
    /// Rendered by Pulumi (<c>kubernetes:helm.sh/v4:Chart</c>): every object its own Pulumi resource, awaited one by
    /// one, but without Helm hooks (pulumi-kubernetes v4.32.0 provider/pkg/provider/helm/v4/chart.go: DisableHooks = true).
    /// </summary>
    Rendered,

    /// <summary>
    /// Installed by Helm (<c>kubernetes:helm.sh/v3:Release</c>): Helm runs the chart's hooks and, unless skipAwait,
    /// waits until its workloads are ready and its hooks' Jobs have completed (pulumi-kubernetes v4.32.0
    /// provider/pkg/provider/helm_release.go: client.Wait = !SkipAwait; client.DisableHooks = DisableWebhooks).
    /// </summary>
    HelmRelease,
}

/// <summary>A release line of a chart (major.minor, as "1.9") and the day its upstream support ends.</summary>
/// <param name="Source">Where upstream states the date (or how it was derived where upstream states no day).</param>
public sealed record ReleaseLine(string Line, DateOnly EndOfLife, string Source);

/// <summary>A Helm chart as the platform installs it: where it is published, its name there, and the exact version.</summary>
/// <param name="Repository">A Helm repository URL (https://…), or empty where <paramref name="Chart"/> is an OCI reference.</param>
/// <param name="Chart">The chart's name in <paramref name="Repository"/>, or a full <c>oci://</c> reference.</param>
public sealed record HelmChart(string Repository, string Chart, string Version)
{
    /// <summary>How long a Helm release may take to install or upgrade, hooks and readiness included (the provider's default is 300 s).</summary>
    public const int ReleaseTimeoutSeconds = 600;

    public bool IsOci => Chart.StartsWith("oci://", StringComparison.Ordinal);

    /// <summary>
    /// The chart has Helm hooks its workloads need on install (a Job making a Secret a pod mounts, a check that the
    /// webhook answers): such a chart must be installed by Helm, never rendered by Chart v4, which drops hooks.
    /// </summary>
    public bool HasInstallHooks { get; init; }

    public ChartInstall Install => HasInstallHooks ? ChartInstall.HelmRelease : ChartInstall.Rendered;

    /// <summary>The release lines whose end of life upstream has stated, oldest first (empty: none recorded).</summary>
    public IReadOnlyList<ReleaseLine> Lines { get; init; } = [];

    /// <summary>The line (major.minor) of <paramref name="version"/>, e.g. "1.9" for v1.9.0; null if it is not x.y….</summary>
    public static string? LineOf(string version)
    {
        var parts = version.TrimStart('v').Split('.', '-', '+');
        return parts.Length >= 2 && int.TryParse(parts[0], out var major) && int.TryParse(parts[1], out var minor) ? $"{major}.{minor}" : null;
    }
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
        // Hooks (envoyproxy/gateway v1.9.0 charts/gateway-helm/templates): the certgen Job (pre-install, pre-upgrade)
        // makes the Secret envoy-gateway the controller Deployment mounts; its ServiceAccount, Role, RoleBinding,
        // ClusterRole and ClusterRoleBinding and the topology-injector MutatingWebhookConfiguration are hooks too.
        EnvoyGateway: new HelmChart("", "oci://docker.io/envoyproxy/gateway-helm", "v1.9.0")
        {
            HasInstallHooks = true,
            // envoyproxy/gateway site/content/en/news/releases/matrix.md (main, 2026-08-21, d32f282), column "End of Life".
            Lines =
            [
                new("1.7", new DateOnly(2026, 8, 5), "envoyproxy/gateway site/content/en/news/releases/matrix.md"),
                new("1.8", new DateOnly(2026, 11, 8), "envoyproxy/gateway site/content/en/news/releases/matrix.md"),
                new("1.9", new DateOnly(2027, 2, 14), "envoyproxy/gateway site/content/en/news/releases/matrix.md"),
            ],
        },
        // Hooks (cert-manager/cert-manager v1.21.1 deploy/charts/cert-manager/values.yaml startupapicheck.jobAnnotations):
        // the startupapicheck Job is a post-install hook that completes only once the webhook answers.
        CertManager: new HelmChart("https://charts.jetstack.io", "cert-manager", "v1.21.1")
        {
            HasInstallHooks = true,
            // cert-manager/website content/docs/releases/README.md (2026-08-22, 776e5db), "Supported releases": a release
            // is supported "at least until the release of a second subsequent version"; it states no day for 1.20 and 1.21.
            Lines =
            [
                new("1.19", new DateOnly(2026, 7, 8), "cert-manager.io 'Supported releases': ended with the release of 1.21 (Jul 08, 2026)"),
                new("1.20", new DateOnly(2026, 11, 1), "cert-manager.io 'Supported releases': 'Release of 1.22', stated as '~Nov 2026' (no day; the month's first day taken)"),
                new("1.21", new DateOnly(2027, 3, 1), "cert-manager.io 'Supported releases': 'Release of 1.23', no date stated; estimated from 1.22 '~Nov 2026' and the stated cadence 'roughly every 4 months'"),
            ],
        },
        // The chart's version line stands for its operator's (appVersion): chart 0.26 is operator 1.27, 0.29 is 1.30
        // (cloudnative-pg/charts tags cloudnative-pg-v0.26.0, -v0.29.0). Operator 1.30: Kubernetes 1.34-1.36.
        CloudNativePg: new HelmChart("https://cloudnative-pg.github.io/charts", "cloudnative-pg", "0.29.0")
        {
            // cloudnative-pg docs/src/supported_releases.md (main and release-1.30 at 2026-08-21, last changed 0c0a736):
            // 1.27 ended 2026-03-09; 1.30 is supported, end of life "~  Dec 2026", Kubernetes 1.34-1.36; the policy: a
            // minor release is "supported until 3 months after the N+1 minor release", and "Upcoming releases" lists
            // 1.31.0 "~ Sep, 2026" (end of life "~ Mar, 2027"), 1.32.0 "~ Dec, 2026". No newer line is released in the
            // stored snapshots (tags end at v1.30.0, chart tags at cloudnative-pg-v0.29.0): 1.30 stays, its end the
            // month's last day. Once 1.31.0 is out, its release date plus three months is 1.30's real end: move to
            // 1.31 (no in-tree barmanObjectStore there; the kit uses the plugin already) before that day.
            Lines =
            [
                new("0.26", new DateOnly(2026, 3, 9), "cloudnative-pg docs/src/supported_releases.md: operator 1.27, end of life 2026-03-09"),
                new("0.29", new DateOnly(2026, 12, 31), "cloudnative-pg docs/src/supported_releases.md: operator 1.30, end of life '~ Dec 2026' (no day; the month's last day taken)"),
            ],
        },
        // The Barman Cloud plugin v0.13.0 (chart appVersion; tag plugin-barman-cloud-v0.7.0 of cloudnative-pg/charts),
        // beside the operator; its certificates come from cert-manager. Upstream states no support window for it. It
        // needs CloudNativePG 1.26 or newer (plugin-barman-cloud v0.13.0 web/docs/installation.mdx). v0.14.0 is tagged
        // (2026-07-29), but no chart installs it yet (cloudnative-pg/charts main, 2026-07-20: chart 0.7.0, appVersion v0.13.0).
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
