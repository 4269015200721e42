using OS2BorgerPC.Deploy.PlatformDecisions.Model;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>Which pinned charts need their Helm hooks, and so how the platform program installs each.</summary>
public sealed class ChartInstallTests
{
    // envoyproxy/gateway v1.9.0 charts/gateway-helm/templates/certgen.yaml: the certgen Job is a pre-install hook; it makes
    // the Secret envoy-gateway that envoy-gateway-deployment.yaml mounts (not optional). cert-manager/cert-manager v1.21.1
    // deploy/charts/cert-manager/values.yaml: startupapicheck.jobAnnotations make its Job a post-install hook.
    // cloudnative-pg/charts cloudnative-pg-v0.26.0 charts/cloudnative-pg: no helm.sh/hook annotation.
    [Theory]
    [InlineData("envoyGateway", ChartInstall.HelmRelease)]
    [InlineData("certManager", ChartInstall.HelmRelease)]
    [InlineData("cloudNativePg", ChartInstall.Rendered)]
    public void A_chart_whose_workloads_need_its_install_hooks_is_installed_by_Helm(string key, ChartInstall install) =>
        ChartVersions.Pinned.ByKey.Single(c => c.Key == key).Chart.Install.ShouldBe(install);

    [Fact]
    public void A_stack_pin_of_another_version_keeps_the_charts_hooks_and_lines() =>
        (ChartVersions.Pinned.EnvoyGateway with { Version = "v1.8.3" }).ShouldSatisfyAllConditions(
            c => c.Install.ShouldBe(ChartInstall.HelmRelease),
            c => c.Lines.ShouldBe(ChartVersions.Pinned.EnvoyGateway.Lines));
}
