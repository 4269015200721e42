using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;

namespace OS2BorgerPC.Deploy.Cli.Tests;

public sealed class TenantNewTests : IDisposable
{
    private readonly TempRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void A_municipality_code_writes_a_valid_stack_file_and_the_next_steps()
    {
        var run = _repository.Run("tenant", "new", "751").ShouldSucceed();

        run.Output.ShouldStartWith("Wrote stacks/Pulumi.aarhus.yaml for Aarhus Kommune: https://aarhus.borgerpc.dk/ (kubernetes, small, ring broad, admin site 7.1.0).");
        run.Output.ShouldContain("Next steps:");
        run.Output.ShouldContain("pulumi stack init aarhus");
        _repository.StackFiles().ShouldBe(["Pulumi.aarhus.yaml"]);
        FleetLoader.LoadStack(_repository.Open(), "aarhus").Result.Problems.ShouldBeEmpty();
    }

    [Fact]
    public void An_existing_stack_file_is_never_overwritten()
    {
        _repository.Run("tenant", "new", "751").ShouldSucceed();
        // An operator's edit, which a second run must keep.
        var path = _repository.StackPath("aarhus");
        File.AppendAllText(path, "# edited by hand\n");
        var edited = File.ReadAllText(path);

        _repository.Run("tenant", "new", "751").ShouldFail("stacks/Pulumi.aarhus.yaml exists already; nothing was changed.");

        File.ReadAllText(path).ShouldBe(edited);
    }

    [Fact]
    public void An_unknown_municipality_code_is_refused()
    {
        _repository.Run("tenant", "new", "9999").ShouldFail("9999 is not a Danish municipality code");

        _repository.StackFiles().ShouldBeEmpty();
    }

    [Theory]
    [InlineData]
    [InlineData("--name", "IT-forsyningen")]
    [InlineData("--slug", "it-forsyningen")]
    public void A_tenant_without_a_code_needs_a_name_and_a_slug(params string[] options)
    {
        _repository.Run(["tenant", "new", .. options]).ShouldFail("give a municipality code (tenant new 751), or --name and --slug");

        _repository.StackFiles().ShouldBeEmpty();
    }

    [Theory]
    // The clash is found whether the new file sorts before or after the existing one.
    [InlineData("aa-it")]
    [InlineData("it-forsyningen")]
    public void A_municipality_already_served_is_refused(string slug)
    {
        _repository.Run("tenant", "new", "751").ShouldSucceed();

        _repository.Run("tenant", "new", "--name", "IT-forsyningen", "--slug", slug, "--municipality", "101", "--municipality", "751")
            .ShouldFail($"stacks/Pulumi.{slug}.yaml: os2borgerpc:tenant.municipalityCodes: Municipality 751 is also served by tenant 'aarhus'");

        _repository.StackFiles().ShouldBe(["Pulumi.aarhus.yaml"]);
    }

    [Fact]
    public void A_host_already_taken_is_refused()
    {
        _repository.Run("tenant", "new", "751").ShouldSucceed();

        _repository.Run("tenant", "new", "--name", "Aarhus igen", "--slug", "aarhus2", "--host", "aarhus.borgerpc.dk")
            .ShouldFail("The host name 'aarhus.borgerpc.dk' is also that of tenant 'aarhus'");

        _repository.StackFiles().ShouldBe(["Pulumi.aarhus.yaml"]);
    }

    [Theory]
    [InlineData("--size", "huge")]
    [InlineData("--hosting", "aws")]
    [InlineData("--municipality", "one")]
    public void An_invalid_option_is_refused(string option, string value)
    {
        var run = _repository.Run("tenant", "new", "751", option, value);

        run.ExitCode.ShouldNotBe(0);
        run.Error.ShouldContain(value);
        _repository.StackFiles().ShouldBeEmpty();
    }

    [Theory]
    // Values the command line accepts but the tenant rules do not: reported per key, nothing written.
    [InlineData("--slug", "Aarhus", "os2borgerpc:tenant.slug")]
    [InlineData("--version", "7.0.0", "os2borgerpc:tenant.adminSite.version")]
    [InlineData("--client-range", "10.20.0.1/16", "os2borgerpc:tenant.clientSourceRanges")]
    [InlineData("--admin-email", "drift", "os2borgerpc:tenant.admin.email")]
    public void A_value_that_breaks_a_tenant_rule_is_refused(string option, string value, string key)
    {
        _repository.Run("tenant", "new", "751", option, value).ShouldFail($": {key}: ");

        _repository.StackFiles().ShouldBeEmpty();
    }

    [Fact]
    public void An_azure_tenant_is_written_with_its_network()
    {
        _repository.Run("tenant", "new", "751", "--hosting", "azure", "--size", "medium", "--egress", "20.50.1.10", "--egress", "20.50.2.0/28",
                "--cluster-subnet-id", NodeSubnetId, "--oidc-issuer", OidcIssuer)
            .ShouldSucceed().Output.ShouldContain("(azure, medium, ring broad, admin site 7.1.0)");

        var tenant = FleetLoader.LoadStack(_repository.Open(), "aarhus").Result.Tenant.ShouldNotBeNull();
        var azure = tenant.Azure.ShouldNotBeNull();
        azure.DatabaseNetwork.ShouldBeOfType<TenantDecisions.Model.AzureDatabaseNetwork.Firewall>()
            .ClusterEgressRanges.Select(r => r.ToString()).ShouldBe(["20.50.1.10/32", "20.50.2.0/28"]);
        azure.ClusterSubnetIds.ShouldBe([NodeSubnetId]);
        azure.ClusterOidcIssuerUrl.ShouldBe(OidcIssuer);
    }

    [Fact]
    public void An_azure_tenant_without_the_cluster_subnets_leaves_them_to_its_platform()
    {
        _repository.Run("tenant", "new", "751", "--hosting", "azure", "--egress", "20.50.1.10")
            .ShouldSucceed();

        var azure = FleetLoader.LoadStack(_repository.Open(), "aarhus").Result.Tenant.ShouldNotBeNull().Azure.ShouldNotBeNull();
        azure.ClusterSubnetIds.ShouldBeEmpty();
        azure.ClusterOidcIssuerUrl.ShouldBeNull();
    }

    internal const string NodeSubnetId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/vnet-aks/subnets/snet-nodes";
    internal const string OidcIssuer = "https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/";

    [Fact]
    public void Every_municipality_can_be_added_to_one_fleet()
    {
        foreach (var municipality in MunicipalityRegister.All)
        {
            _repository.Run("tenant", "new", municipality.Code.ToString()).ShouldSucceed();
        }

        _repository.Run("tenant", "check").ShouldSucceed().Output.ShouldBe($"All 98 tenants are valid and distinct.{Environment.NewLine}");
    }
}
