using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using static OS2BorgerPC.Deploy.TenantDecisions.Tests.Support.StackFile;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Security;

/// <summary>
/// Settings Azure cannot change in place: a stack file that changes one against the deployed value is a problem
/// naming the key and the migration path, before <c>pulumi up</c> would fail half-way.
/// </summary>
public sealed class ImmutableSettingsTests(TempRepository repository) : IClassFixture<TempRepository>
{
    private static readonly string Private = $"{{delegatedSubnetId: {SubnetId}, privateDnsZoneId: {DnsZoneId}, clusterSubnetIds: [{NodeSubnetId}], clusterOidcIssuerUrl: '{OidcIssuer}'}}";

    public static TheoryData<string, string?, string> Changes() => new()
    {
        { "tenant.azure.location", "northeurope", "os2borgerpc:tenant.azure.location" },
        { "tenant.azure.geoRedundantBackup", "true", "os2borgerpc:tenant.azure.geoRedundantBackup" },
        { "tenant.azure", Private, "os2borgerpc:tenant.azure.delegatedSubnetId" },
        { "tenant.hosting", "kubernetes", "os2borgerpc:tenant.hosting" },
        { "tenant.size", "small", "os2borgerpc:tenant.size" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Changing_an_immutable_setting_is_reported_with_the_migration_path(string key, string? value, string reported)
    {
        var workspace = repository.Open();
        var deployed = ImmutableSettings.Values(workspace.Load(Azure().Set("tenant.size", "medium")).ShouldBeValid());
        var changed = Azure().Set("tenant.size", "medium").Set(key, value);
        if (key == "tenant.hosting")
        {
            changed.Set("tenant.azure", null);
        }
        var tenant = workspace.Load(changed).ShouldBeValid();

        var problem = ImmutableSettings.Compare(DisplayPath, tenant, deployed).ShouldHaveSingleItem();

        problem.File.ShouldBe(DisplayPath);
        problem.Key.ShouldBe(reported);
        problem.Message.ShouldContain("cannot change in place");
        problem.Fix.ShouldContain("tenant import");
        problem.Fix.ShouldContain("Offboarding a tenant");
    }

    [Fact]
    public void Settings_that_change_in_place_are_not_reported()
    {
        var workspace = repository.Open();
        var deployed = ImmutableSettings.Values(workspace.Load(Azure()).ShouldBeValid());
        var tenant = workspace.Load(Azure()
            .Set("tenant.size", "large") // storage grows: in place
            .Set("tenant.azure.backupRetentionDays", "30")
            .Set("tenant.azure.clusterEgressRanges", "[20.60.0.0/28]")
            .Set("tenant.displayName", "Ny Kommune")).ShouldBeValid();

        ImmutableSettings.Compare(DisplayPath, tenant, deployed).ShouldBeEmpty();
    }

    [Fact]
    public void The_deployed_values_are_read_from_each_stacks_outputs()
    {
        const string json = """
            {
              "aarhus": { "adminUrl": "https://aarhus.borgerpc.dk/", "immutableSettings": { "hosting": "azure", "azure.location": "westeurope" } },
              "demo": { "adminUrl": "https://demo.borgerpc.dk/" }
            }
            """;

        var (deployed, error) = ImmutableSettings.ReadOutputs(json, "deployed.json");

        error.ShouldBeNull();
        deployed.ShouldNotBeNull().Keys.ShouldBe(["aarhus"], "a stack deployed before the output existed has nothing to compare");
        deployed["aarhus"]["azure.location"].ShouldBe("westeurope");
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{\"aarhus\": 1}")]
    [InlineData("not json")]
    public void A_malformed_outputs_file_is_an_error_naming_the_file(string json)
    {
        var (deployed, error) = ImmutableSettings.ReadOutputs(json, "deployed.json");

        deployed.ShouldBeNull();
        error.ShouldNotBeNull().ShouldStartWith("deployed.json");
    }

    [Fact]
    public void A_kubernetes_tenant_exports_only_its_hosting() =>
        ImmutableSettings.Values(repository.Open().Load(Kubernetes()).ShouldBeValid()).Keys.ShouldBe(["hosting"]);
}
