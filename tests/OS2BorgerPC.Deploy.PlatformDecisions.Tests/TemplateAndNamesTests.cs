using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformDecisions.Naming;
using OS2BorgerPC.Deploy.PlatformDecisions.Templates;
using OS2BorgerPC.Deploy.PlatformDecisions.Tests.Support;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>`platform new`'s template, the platform's names and the chart pins.</summary>
public sealed class TemplateAndNamesTests
{
    [Fact]
    public void A_new_azure_platform_stack_file_is_valid_as_rendered()
    {
        var platform = PlatformStackFile.Load(new NewPlatform { Name = PlatformStackFile.Stack, Location = "northeurope", OperatorGroupObjectId = "3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f" }.RenderStackFile()).ShouldBeValid();

        platform.Flavour.ShouldBe(PlatformFlavour.Azure);
        platform.Azure!.Location.ShouldBe("northeurope");
        platform.Azure.Network.ShouldBe(PlatformLoader.DefaultNetwork);
    }

    [Fact]
    public void A_new_cluster_platform_stack_file_is_valid_as_rendered()
    {
        var yaml = new NewPlatform
        {
            Name = PlatformStackFile.Stack,
            Flavour = "cluster",
            Context = "fleet",
            DataProvisioner = "rbd.csi.ceph.com",
            SharedProvisioner = "cephfs.csi.ceph.com",
            BackupEndpoint = "https://s3.example.dk",
            ApiServerCidrs = ["10.20.0.10/32", "10.20.0.11/32"],
            ApiServerPort = 443,
        }.RenderStackFile();

        var platform = PlatformStackFile.Load(yaml).ShouldBeValid();

        platform.Cluster!.Context.ShouldBe("fleet");
        platform.Cluster.ApiServer.Cidrs.ShouldBe(["10.20.0.10/32", "10.20.0.11/32"]);
        platform.Cluster.ApiServer.Port.ShouldBe(443);
        platform.Cluster.Backup.Bucket.ShouldBe("os2borgerpc-backups");
    }

    [Theory]
    [InlineData("os2borgerpc", "prod")]
    [InlineData("a-much-longer-fleet-id", "a-very-long-platform-name")]
    public void Globally_unique_azure_names_fit_azures_rules_and_differ_between_fleets(string fleet, string platform)
    {
        var names = PlatformNames.For(fleet, platform);
        var other = PlatformNames.For(fleet + "x", platform);

        foreach (var account in new[] { names.StateStorageAccount, names.BackupStorageAccount })
        {
            account.Length.ShouldBeInRange(3, 24);
            account.ShouldAllBe(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
        }
        names.KeyVault.Length.ShouldBeInRange(3, 24);
        names.StateStorageAccount.ShouldNotBe(other.StateStorageAccount);
        names.KeyVault.ShouldNotBe(other.KeyVault);
        names.BackupResourceGroup.ShouldNotBe(names.ResourceGroup, "the backups outlive the platform's resource group");
        // The state and the CI identities sit outside the group the platform identity is Contributor on.
        names.FoundationResourceGroup.ShouldBe($"rg-{fleet}-foundation-{platform}");
        new[] { names.ResourceGroup, names.BackupResourceGroup }.ShouldNotContain(names.FoundationResourceGroup);
    }

    [Fact]
    public void Every_chart_is_pinned_exactly_where_its_publisher_publishes_it()
    {
        var pinned = ChartVersions.Pinned;

        pinned.EnvoyGateway.IsOci.ShouldBeTrue();
        pinned.EnvoyGateway.Chart.ShouldBe("oci://docker.io/envoyproxy/gateway-helm");
        pinned.CertManager.ShouldBe(pinned.CertManager with { Repository = "https://charts.jetstack.io", Chart = "cert-manager" });
        pinned.CloudNativePg.ShouldBe(pinned.CloudNativePg with { Repository = "https://cloudnative-pg.github.io/charts", Chart = "cloudnative-pg" });
        foreach (var (_, chart) in pinned.ByKey)
        {
            PlatformRules.IsChartVersion(chart.Version, chart.Version).ShouldBeTrue(chart.Chart);
        }
    }
}
