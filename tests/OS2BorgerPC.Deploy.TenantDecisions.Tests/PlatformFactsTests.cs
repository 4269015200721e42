using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>The platform/tenant contract: what the platform exports is exactly what a tenant reads, and gaps are named.</summary>
public sealed class PlatformFactsTests
{
    public static TheoryData<string> Flavours => new() { "cluster", "azure" };

    private static PlatformFacts Recorded(string flavour) => flavour == "azure" ? RecordedPlatform.Azure : RecordedPlatform.Cluster;

    [Theory]
    [MemberData(nameof(Flavours))]
    public void What_the_platform_exports_is_what_a_tenant_reads(string flavour)
    {
        var exported = JsonNode.Parse(Recorded(flavour).ToJson());

        var (facts, problems) = PlatformFacts.Parse("platform-prod", "stacks/Pulumi.aarhus.yaml", exported);

        problems.ShouldBeEmpty();
        facts.ShouldNotBeNull();
        facts.ToJson().ShouldBe(Recorded(flavour).ToJson());
        exported!["flavour"]!.GetValue<string>().ShouldBe(flavour);
    }

    [Fact]
    public void A_platform_without_the_output_is_named_with_the_fix()
    {
        var (facts, problems) = PlatformFacts.Parse("platform-prod", "stacks/Pulumi.aarhus.yaml", null);

        facts.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        problem.File.ShouldBe("stacks/Pulumi.aarhus.yaml");
        problem.Key.ShouldContain("platform-prod");
        problem.Fix.ShouldContain("pulumi up");
    }

    [Theory]
    [InlineData("gateway")]
    [InlineData("backup")]
    [InlineData("dns")]
    [InlineData("databaseOperator")]
    [InlineData("apiServer")]
    public void A_missing_fact_is_a_problem_not_a_default(string fact)
    {
        var exported = JsonNode.Parse(RecordedPlatform.Cluster.ToJson())!.AsObject();
        exported.Remove(fact);

        var (facts, problems) = PlatformFacts.Parse("platform-prod", "stacks/Pulumi.demo.yaml", exported);

        facts.ShouldBeNull();
        problems.ShouldHaveSingleItem().Message.ShouldContain(fact);
    }

    [Fact]
    public void An_azure_platform_without_its_network_facts_is_refused()
    {
        var exported = JsonNode.Parse((RecordedPlatform.Azure with { Azure = null }).ToJson());

        var (facts, problems) = PlatformFacts.Parse("platform-prod", "stacks/Pulumi.aarhus.yaml", exported);

        facts.ShouldBeNull();
        problems.ShouldHaveSingleItem().Key.ShouldEndWith(".azure");
    }

    [Fact]
    public void A_gateway_without_pod_labels_is_refused_so_no_policy_admits_every_pod_of_its_namespace()
    {
        var exported = JsonNode.Parse((RecordedPlatform.Cluster with { Gateway = RecordedPlatform.Cluster.Gateway with { Labels = [] } }).ToJson());

        PlatformFacts.Parse("platform-prod", "stacks/Pulumi.demo.yaml", exported).Problems.ShouldHaveSingleItem().Key.ShouldEndWith("gateway.labels");
    }

    [Fact]
    public void A_database_operator_without_pod_labels_is_refused_so_no_policy_admits_every_pod_of_its_namespace()
    {
        var exported = JsonNode.Parse((RecordedPlatform.Cluster with { DatabaseOperator = RecordedPlatform.Cluster.DatabaseOperator with { Labels = [] } }).ToJson());

        PlatformFacts.Parse("platform-prod", "stacks/Pulumi.demo.yaml", exported).Problems.ShouldHaveSingleItem().Key.ShouldEndWith("databaseOperator.labels");
    }

    [Fact]
    public void An_api_server_reached_at_addresses_without_any_is_refused()
    {
        var exported = JsonNode.Parse((RecordedPlatform.Cluster with { ApiServer = new KubernetesApiServer(ApiServerReach.Addresses, [], 6443) }).ToJson());

        PlatformFacts.Parse("platform-prod", "stacks/Pulumi.demo.yaml", exported).Problems.ShouldHaveSingleItem().Key.ShouldEndWith("apiServer.cidrs");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70000)]
    public void An_api_server_port_that_is_no_port_is_refused(int port)
    {
        var exported = JsonNode.Parse((RecordedPlatform.Cluster with { ApiServer = RecordedPlatform.Cluster.ApiServer with { Port = port } }).ToJson());

        PlatformFacts.Parse("platform-prod", "stacks/Pulumi.demo.yaml", exported).Problems.ShouldHaveSingleItem().Key.ShouldEndWith("apiServer.port");
    }

    [Theory]
    [InlineData("s3.backup.example.dk")]
    [InlineData("http://s3.backup.example.dk")]
    public void A_backup_endpoint_that_is_no_https_url_is_refused_since_policies_admit_it_by_address_and_port(string endpoint)
    {
        var exported = JsonNode.Parse((RecordedPlatform.Cluster with { Backup = RecordedPlatform.Cluster.Backup with { Endpoint = endpoint } }).ToJson());

        PlatformFacts.Parse("platform-prod", "stacks/Pulumi.demo.yaml", exported).Problems.ShouldHaveSingleItem().Key.ShouldEndWith("backup.endpoint");
    }

    [Fact]
    public void An_unknown_flavour_is_refused()
    {
        var exported = JsonNode.Parse(RecordedPlatform.Cluster.ToJson())!.AsObject();
        exported["flavour"] = "openstack";

        PlatformFacts.Parse("platform-prod", "stacks/Pulumi.demo.yaml", exported).Facts.ShouldBeNull();
    }
}
