using OS2BorgerPC.Deploy.TenantDecisions.Backup;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Model;

/// <summary>A release of CustomResourceDefinitions: the project that publishes them, its version, and its channel where it has several (Gateway API).</summary>
public sealed record CrdRelease(string Project, string Version, string? Channel = null)
{
    /// <summary>The folder the control-plane tests install this release's CRD manifests from (tests/OS2BorgerPC.Deploy.ControlPlane.Tests/crds/).</summary>
    public string Folder => Channel is null ? $"{Project}-{Version}" : $"{Project}-{Version}-{Channel}";
}

/// <summary>The CRD releases one version of a platform chart installs (read from the chart itself at that version).</summary>
/// <param name="Key">The chart's key in <see cref="ChartVersions.ByKey"/>.</param>
public sealed record ChartCrds(string Key, string ChartVersion, IReadOnlyList<CrdRelease> Releases)
{
    /// <summary>
    /// What the kit's pinned charts (<see cref="ChartVersions.Pinned"/>) install. A chart bump changes its entry here
    /// and the CRD manifests the control-plane tests install; a test holds the three together.
    /// </summary>
    public static IReadOnlyList<ChartCrds> Pinned { get; } =
    [
        // gateway-helm v1.9.0 bundles Gateway API v1.6.1's experimental-channel install (charts/crds/crds/gatewayapi-crds.yaml).
        new("envoyGateway", "v1.9.0", [new("envoy-gateway", "v1.9.0"), new("gateway-api", "v1.6.1", "experimental")]),
        new("certManager", "v1.21.1", [new("cert-manager", "v1.21.1")]),
        // The chart's appVersion: the operator whose Cluster API TenantDecisions writes.
        new("cloudNativePg", "0.29.0", [new("cloudnative-pg", $"v{CloudNativePg.OperatorVersion}")]),
        // plugin-barman-cloud chart 0.7.0 installs the ObjectStore CRD of plugin v0.13.0 (templates/crds/crds.yaml).
        new("barmanCloudPlugin", "0.7.0", [new("plugin-barman-cloud", "v0.13.0")]),
    ];

    /// <summary>Every CRD release the pinned charts install.</summary>
    public static IEnumerable<CrdRelease> PinnedReleases => Pinned.SelectMany(chart => chart.Releases);
}
