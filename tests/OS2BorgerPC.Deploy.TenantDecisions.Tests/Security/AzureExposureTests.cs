using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using static OS2BorgerPC.Deploy.TenantDecisions.Tests.Support.StackFile;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Security;

/// <summary>
/// An azure tenant's storage account admits named cluster subnets only: the tenant file's, else its azure platform's;
/// an empty or malformed list is refused, and so is a tenant with neither (PlatformInputsTests).
/// </summary>
public sealed class AzureExposureTests(TempRepository repository) : IClassFixture<TempRepository>
{
    [Theory]
    [InlineData("[]", "is empty")]
    [InlineData("[10.240.0.0/16]", "'10.240.0.0/16' is not a subnet resource ID")]
    public void A_storage_account_without_network_restriction_is_refused(string? subnets, string says) =>
        repository.Open().Load(Azure().Set("tenant.azure.clusterSubnetIds", subnets))
            .ShouldReport(DisplayPath, "os2borgerpc:tenant.azure.clusterSubnetIds", says);

    [Theory]
    [InlineData("http://issuer.example/", "is not an https URL")]
    [InlineData("westeurope.oic.prod-aks.azure.com", "is not an https URL")]
    public void The_database_administrator_identity_trusts_a_named_cluster_only(string? issuer, string says) =>
        repository.Open().Load(Azure().Set("tenant.azure.clusterOidcIssuerUrl", issuer))
            .ShouldReport(DisplayPath, "os2borgerpc:tenant.azure.clusterOidcIssuerUrl", says);

    [Fact]
    public void The_cluster_subnets_are_what_the_storage_account_admits() =>
        repository.Open().Load(Azure()).ShouldBeValid().Azure!.ClusterSubnetIds.ShouldBe([NodeSubnetId]);

    [Fact]
    public void On_azure_the_app_connects_as_its_own_role_never_the_servers_administrator()
    {
        var tenant = repository.Open().Load(Azure()).ShouldBeValid();

        DatabaseEndpoint.For(tenant).User.ShouldBe(DatabaseRoles.AzureAppRole);
        DatabaseRoles.AzureAdministratorLogin(tenant).ShouldNotBe(DatabaseRoles.AzureAppRole);
    }

    [Fact]
    public void Every_municipality_made_by_tenant_new_on_azure_is_valid_and_restricted()
    {
        var workspace = repository.Open();
        foreach (var municipality in MunicipalityRegister.All)
        {
            var yaml = (NewTenant.For(municipality) with { Hosting = "azure", ClusterEgressRanges = ["20.50.1.0/28"], ClusterSubnetIds = [NodeSubnetId], ClusterOidcIssuerUrl = OidcIssuer }).RenderStackFile();

            var tenant = workspace.Load(yaml, municipality.Slug).ShouldBeValid();

            tenant.Azure!.ClusterSubnetIds.ShouldBe([NodeSubnetId], municipality.Slug);
            DatabaseEndpoint.For(tenant).User.ShouldBe(DatabaseRoles.AzureAppRole);
            ImmutableSettings.Values(tenant).Keys.ShouldContain("azure.location");
        }
        MunicipalityRegister.All.Count.ShouldBe(98);
    }
}
