using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>
/// The chart pins, the CRD releases they install, and the CRD manifests the control-plane tests install, held together:
/// a chart bump without a CRD refresh fails here.
/// </summary>
public sealed partial class ChartCrdsTests
{
    private static readonly string CrdFolder = Path.Combine(RepositoryRoot.FullPath, "tests", "OS2BorgerPC.Deploy.ControlPlane.Tests", "crds");

    [Fact]
    public void Every_pinned_chart_names_the_CRD_releases_of_its_pinned_version()
    {
        ChartCrds.Pinned.Select(c => c.Key).ShouldBe(ChartVersions.Pinned.ByKey.Select(c => c.Key), ignoreOrder: true);
        foreach (var (key, chart) in ChartVersions.Pinned.ByKey)
        {
            var crds = ChartCrds.Pinned.Single(c => c.Key == key);
            crds.ChartVersion.ShouldBe(chart.Version,
                $"the {key} chart is pinned at {chart.Version}: write the CRD releases that version installs into ChartCrds and refresh {CrdFolder} (its README says how)");
            crds.Releases.ShouldNotBeEmpty();
        }
    }

    [Fact]
    public void The_control_plane_tests_install_exactly_the_CRD_releases_of_the_pinned_charts()
    {
        var folders = Directory.GetDirectories(CrdFolder).Select(Path.GetFileName).ToList();

        folders.ShouldBe(ChartCrds.PinnedReleases.Select(r => r.Folder), ignoreOrder: true,
            $"{CrdFolder} holds one folder per CRD release the pinned charts install, named for it");
    }

    /// <summary>
    /// Gateway API CRDs carry their bundle version and channel, cert-manager's (as its chart renders them) their
    /// app version: a folder renamed without its files replaced fails here.
    /// </summary>
    [Fact]
    public void Where_a_CRD_manifest_names_its_release_it_is_its_folders()
    {
        var checkedFiles = 0;
        foreach (var release in ChartCrds.PinnedReleases)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(CrdFolder, release.Folder), "*.yaml"))
            {
                var text = File.ReadAllText(file);
                var what = $"{release.Folder}/{Path.GetFileName(file)}";
                if (BundleVersion().Match(text) is { Success: true } bundle)
                {
                    bundle.Groups[1].Value.ShouldBe(release.Version, what);
                    Channel().Match(text).Groups[1].Value.ShouldBe(release.Channel, what);
                    checkedFiles++;
                }
                else if (AppVersion().Match(text) is { Success: true } app)
                {
                    app.Groups[1].Value.ShouldBe(release.Version, what);
                    checkedFiles++;
                }
                else
                {
                    release.Project.ShouldNotBeOneOf(["gateway-api", "cert-manager"], $"{what} names no release: is it the chart's manifest?");
                }
            }
        }
        checkedFiles.ShouldBeGreaterThan(0);
    }

    [GeneratedRegex(@"gateway\.networking\.k8s\.io/bundle-version: (\S+)")]
    private static partial Regex BundleVersion();

    [GeneratedRegex(@"gateway\.networking\.k8s\.io/channel: (\S+)")]
    private static partial Regex Channel();

    [GeneratedRegex(@"app\.kubernetes\.io/version: ""?([^""\s]+)""?")]
    private static partial Regex AppVersion();
}
