using System.Net;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using static OS2BorgerPC.Deploy.TenantDecisions.Tests.Support.StackFile;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>What <c>tenant new</c> writes must load as a valid tenant, for any municipality and any option.</summary>
public sealed class TemplateTests(TempRepository repository) : IClassFixture<TempRepository>
{
    public static TheoryData<int> MunicipalityCodes() => new(MunicipalityRegister.All.Select(m => m.Code));

    [Theory]
    [MemberData(nameof(MunicipalityCodes))]
    public void Every_municipality_gets_a_valid_stack_file(int code)
    {
        var municipality = MunicipalityRegister.Find(code)!;

        var tenant = Render(NewTenant.For(municipality));

        tenant.RetiredBackupsClaim.ShouldBeFalse("a new tenant never gets the retired backups claim");
        NewTenant.For(municipality).RenderStackFile().ShouldNotContain("retiredBackupsClaim");
        tenant.Slug.ShouldBe(municipality.Slug);
        tenant.DisplayName.ShouldBe(municipality.OfficialName);
        tenant.MunicipalityCodes.ShouldBe([code]);
        tenant.Host.ShouldBe($"{municipality.Slug}.borgerpc.dk");
        tenant.Hosting.ShouldBe(Hosting.Kubernetes);
        tenant.Size.Tier.ShouldBe(SizeTier.Small);
        tenant.ClientSourceRanges.Select(r => r.ToString()).ShouldBe(NewTenant.PrivateNetworks);
    }

    [Fact]
    public void Every_option_reaches_the_tenant()
    {
        var tenant = Render(new NewTenant
        {
            Slug = "it-forsyningen",
            DisplayName = "IT-forsyningen",
            MunicipalityCodes = [101, 147],
            Host = "borgerpc.itf.dk",
            Size = "large",
            Version = "7.2.0",
            AdminEmail = "drift@itf.dk",
            ClientSourceRanges = ["85.191.0.0/16", "10.70.0.0/16"],
        });

        tenant.MunicipalityCodes.ShouldBe([101, 147]);
        tenant.Host.ShouldBe("borgerpc.itf.dk");
        tenant.Size.Tier.ShouldBe(SizeTier.Large);
        tenant.Release.VersionText.ShouldBe("7.2.0");
        tenant.Admin.Email.ShouldBe("drift@itf.dk");
        tenant.ClientSourceRanges.ShouldBe([IPNetwork.Parse("85.191.0.0/16"), IPNetwork.Parse("10.70.0.0/16")]);
    }

    [Fact]
    public void An_azure_tenant_with_egress_ranges_is_valid()
    {
        var tenant = Render(AzureTenant with { AzureLocation = "northeurope", ClusterEgressRanges = ["20.50.1.10", "20.50.2.0/28"] });

        var azure = tenant.Azure.ShouldNotBeNull();
        azure.Location.ShouldBe("northeurope");
        azure.DatabaseNetwork.ShouldBeOfType<AzureDatabaseNetwork.Firewall>().Rules
            .Select(r => (r.StartIpAddress, r.EndIpAddress)).ShouldBe([("20.50.1.10", "20.50.1.10"), ("20.50.2.0", "20.50.2.15")]);
    }

    [Fact]
    public void An_azure_tenant_with_a_private_network_is_valid()
    {
        var tenant = Render(AzureTenant with { DelegatedSubnetId = SubnetId, PrivateDnsZoneId = DnsZoneId });

        tenant.Azure.ShouldNotBeNull().DatabaseNetwork.ShouldBe(new AzureDatabaseNetwork.Private(SubnetId, DnsZoneId));
    }

    [Fact]
    public void An_azure_tenant_without_a_network_of_its_own_takes_the_platforms()
    {
        var tenant = Render(AzureTenant);

        tenant.Azure.ShouldNotBeNull().DatabaseNetwork.ShouldBeNull();
        tenant.Platform.Stack.ShouldBe("organization/os2borgerpc-platform/prod");
    }

    [Theory]
    [InlineData("Fælles IT: \"Øst\" & Åbyhøj")]
    [InlineData("'Single' quotes: # not a comment")]
    [InlineData("Back\\slash {{ not scriban }} - [list] {map}")]
    [InlineData("yes")]
    [InlineData("2024")]
    public void A_display_name_survives_as_written(string name) =>
        Render(new NewTenant { Slug = "special", DisplayName = name }).DisplayName.ShouldBe(name);

    [Fact]
    public void The_stack_file_holds_no_secret()
    {
        foreach (var tenant in new[] { NewTenant.For(MunicipalityRegister.Find(751)!), AzureTenant with { ClusterEgressRanges = ["20.50.1.10"] } })
        {
            var (config, _) = repository.Open().ReadStackText(tenant.Slug, tenant.RenderStackFile());

            var keys = config.ShouldNotBeNull().Values.SelectMany(pair => KeysOf(pair.Key, pair.Value)).ToList();

            keys.ShouldContain("os2borgerpc:tenant.clientSourceRanges");
            keys.ShouldAllBe(key => !key.Contains("password", StringComparison.OrdinalIgnoreCase)
                && !key.Contains("secret", StringComparison.OrdinalIgnoreCase)
                && !key.Contains("token", StringComparison.OrdinalIgnoreCase)
                && !key.EndsWith(SecureValue.Marker, StringComparison.Ordinal));
        }
    }

    private static readonly NewTenant AzureTenant = new() { Slug = "azure-it", DisplayName = "Azure IT", Hosting = "azure", ClusterSubnetIds = [NodeSubnetId], ClusterOidcIssuerUrl = OidcIssuer };

    private Tenant Render(NewTenant tenant) => repository.Open().Load(tenant.RenderStackFile(), tenant.Slug).ShouldBeValid();

    private static IEnumerable<string> KeysOf(string path, JsonNode? node) =>
        node is JsonObject obj
            ? obj.SelectMany(pair => KeysOf($"{path}.{pair.Key}", pair.Value)).Prepend(path)
            : [path];
}
