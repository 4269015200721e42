using OS2BorgerPC.Deploy.Testing;
using static OS2BorgerPC.Deploy.Cli.Tests.CliRun;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>platform new, check and show; and tenant check's view of each tenant's platform.</summary>
public sealed class PlatformCommandTests : IDisposable
{
    private readonly TempRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    private string PlatformFile(string name) => Path.Combine(_repository.Root, "stacks", "platform", $"Pulumi.{name}.yaml");

    [Fact]
    public void New_writes_a_valid_azure_platform_that_check_accepts()
    {
        var run = _repository.Run("platform", "new", "staging", "--location", "northeurope", "--operator-group", "3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f").ShouldSucceed();

        run.Output.ShouldContain("Wrote stacks/platform/Pulumi.staging.yaml: an azure platform for *.borgerpc.dk.");
        File.ReadAllText(PlatformFile("staging")).ShouldContain("location: northeurope");
        _repository.Run("platform", "check", "staging").ShouldSucceed().Output.ShouldContain("Platform staging is valid.");
    }

    [Fact]
    public void New_writes_a_cluster_platform_with_the_api_server_its_database_pods_may_reach_and_refuses_one_without()
    {
        string[] cluster = ["--flavour", "cluster", "--context", "edge", "--data-provisioner", "rbd.csi.ceph.com",
            "--shared-provisioner", "cephfs.csi.ceph.com", "--backup-endpoint", "https://s3.example.dk"];

        _repository.Run(["platform", "new", "edge", .. cluster]).ShouldFail("os2borgerpc-platform:platform.cluster.apiServer.cidrs: is empty");
        File.Exists(PlatformFile("edge")).ShouldBeFalse();

        _repository.Run(["platform", "new", "edge", .. cluster, "--api-server-cidr", "10.20.0.10/32", "--api-server-cidr", "10.20.0.11/32", "--api-server-port", "443"]).ShouldSucceed()
            .Output.ShouldContain("Wrote stacks/platform/Pulumi.edge.yaml: a cluster platform for *.borgerpc.dk.");
        File.ReadAllText(PlatformFile("edge")).ShouldContain("cidrs: [10.20.0.10/32, 10.20.0.11/32]");
        _repository.Run("platform", "check", "edge").ShouldSucceed();
    }

    [Fact]
    public void New_refuses_an_invalid_platform_and_writes_nothing()
    {
        _repository.Run("platform", "new", "edge", "--flavour", "cluster", "--context", "edge", "--data-provisioner", "rbd.csi.ceph.com",
            "--shared-provisioner", "cephfs.csi.ceph.com", "--backup-endpoint", "http://s3.example.dk").ShouldFail("is not an https endpoint");

        File.Exists(PlatformFile("edge")).ShouldBeFalse();
    }

    [Fact]
    public void New_never_overwrites_a_platform() =>
        _repository.Run("platform", "new", "prod").ShouldFail("exists already");

    // Both projects have a Pulumi.yaml: the platform's is named from the repository root.
    [Fact]
    public void Check_names_the_platform_project_s_file_for_a_bad_default()
    {
        var project = Path.Combine(_repository.Root, TempRepository.PlatformProjectFolder, "Pulumi.yaml");
        File.WriteAllText(project, File.ReadAllText(project).Replace("default: os2borgerpc\n", "default: \"Not Valid!\"\n"));

        _repository.Run("platform", "check", "prod").ShouldFail(
            "error: infra/OS2BorgerPC.Deploy.PlatformProgram/Pulumi.yaml: os2borgerpc-platform:fleetId: 'Not Valid!' is not a valid fleet id.");
    }

    [Fact]
    public void Check_names_every_problem_of_every_platform()
    {
        File.WriteAllText(PlatformFile("bad"), File.ReadAllText(PlatformFile("prod")).Replace("podCidr: 192.168.0.0/16", "podCidr: 10.240.0.0/12"));

        _repository.Run("platform", "check").ShouldFail("stacks/platform/Pulumi.bad.yaml: os2borgerpc-platform:platform.azure.network.podCidr");
    }

    // Envoy Gateway v1.7 ended on 2026/08/05 (envoyproxy/gateway site/content/en/news/releases/matrix.md).
    [Fact]
    public void Check_refuses_a_chart_past_its_end_of_life_and_warns_where_the_stack_runs_it_knowingly()
    {
        var prod = File.ReadAllText(PlatformFile("prod"));
        File.WriteAllText(PlatformFile("prod"), prod.Replace("charts: {}", "charts: {envoyGateway: v1.7.5}"));
        _repository.Run("platform", "check", "prod").ShouldFail(
            "stacks/platform/Pulumi.prod.yaml: os2borgerpc-platform:platform.charts.envoyGateway: v1.7.5 is on the 1.7 line, whose upstream support ended on 2026-08-05");

        File.WriteAllText(PlatformFile("prod"), prod.Replace("charts: {}", "charts: {envoyGateway: v1.7.5, allowPastEndOfLife: [envoyGateway]}"));
        _repository.Run("platform", "check", "prod").ShouldSucceed().Output
            .ShouldContain("warning: stacks/platform/Pulumi.prod.yaml: platform.charts.envoyGateway: v1.7.5 is on the 1.7 line, whose upstream support ended on 2026-08-05");
    }

    [Fact]
    public void Check_against_the_deployed_settings_flags_a_change_azure_cannot_make_in_place()
    {
        var deployed = Path.Combine(_repository.Root, "deployed.json");
        File.WriteAllText(deployed, """
            {"location":"westeurope","networkPlugin":"azure","networkPluginMode":"overlay","networkDataPlane":"cilium",
             "virtualNetwork":"10.240.0.0/16","clusterSubnet":"10.240.0.0/20","postgresSubnet":"10.240.16.0/24",
             "postgresDelegation":"Microsoft.DBforPostgreSQL/flexibleServers","serviceCidr":"10.0.0.0/16","podCidr":"192.168.0.0/16","dnsServiceIp":"10.0.0.10"}
            """);
        _repository.Run("platform", "check", "prod", "--against", "deployed.json").ShouldSucceed();
        File.WriteAllText(PlatformFile("prod"), File.ReadAllText(PlatformFile("prod")).Replace("location: westeurope", "location: northeurope"));

        var run = _repository.Run("platform", "check", "prod", "--against", "deployed.json").ShouldFail("os2borgerpc-platform:platform.azure.location");

        run.Error.ShouldContain("changes from westeurope to northeurope");
        run.Error.ShouldContain("second platform stack");
    }

    [Fact]
    public void Show_gives_the_resolved_platform_and_its_names()
    {
        var lines = _repository.Run("platform", "show", "prod").ShouldSucceed().Output.Split('\n');
        string Setting(string key) => Cells(lines.Single(l => Cells(l).FirstOrDefault() == key))[1];

        Setting("flavour").ShouldBe("azure");
        Setting("gateway").ShouldStartWith("os2borgerpc-gateway/os2borgerpc");
        Setting("chart envoyGateway").ShouldBe("oci://docker.io/envoyproxy/gateway-helm v1.9.0");
        Setting("cluster").ShouldBe("aks-os2borgerpc-prod");
        // The state backend, backup account, resource groups and CI identities are the foundation stack's.
        Setting("foundation stack").ShouldBe("organization/os2borgerpc-foundation/prod");
        Setting("resource groups").ShouldBe("rg-os2borgerpc-platform-prod, rg-os2borgerpc-foundation-prod, rg-os2borgerpc-backup-prod");
    }

    [Fact]
    public void Show_facts_prints_what_a_cluster_platform_exports_and_sends_azure_to_its_stack_output()
    {
        var facts = _repository.Run("platform", "show", "demo", "--facts").ShouldSucceed().Output.Trim();

        // Compared as JSON: label maps have no order.
        var recorded = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "stacks/platform/demo.facts.json")));
        System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(facts), recorded).ShouldBeTrue(facts);
        _repository.Run("platform", "show", "prod", "--facts").ShouldFail("pulumi stack output tenantPlatform --json --stack prod");
    }

    /// <summary>The azure platforms are the foundation stacks' names: the workflows preview them and check them for drift.</summary>
    [Fact]
    public void List_by_flavour_gives_the_azure_platforms_the_foundation_stacks_are_named_for()
    {
        _repository.Run("platform", "new", "staging", "--operator-group", "3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f").ShouldSucceed();

        _repository.Run("platform", "list", "--json", "--flavour", "azure").ShouldSucceed().Output.Trim().ShouldBe("[\"prod\",\"staging\"]");
        _repository.Run("platform", "list", "--json", "--flavour", "cluster").ShouldSucceed().Output.Trim().ShouldBe("[\"demo\"]");
        _repository.Run("platform", "list", "--json").ShouldSucceed().Output.Trim().ShouldBe("[\"demo\",\"prod\",\"staging\"]");
        _repository.Run("platform", "list", "--flavour", "gcp").ShouldFail("gcp");
    }

    [Fact]
    public void List_by_flavour_fails_on_a_platform_file_it_cannot_read_the_flavour_of()
    {
        File.WriteAllText(PlatformFile("broken"), "config:\n  os2borgerpc-platform:platform:\n    flavour: azur\n");

        var run = _repository.Run("platform", "list", "--json", "--flavour", "azure").ShouldFail("stacks/platform/Pulumi.broken.yaml: os2borgerpc-platform:platform.flavour: 'azur' is not a platform flavour.");

        run.Output.ShouldBeEmpty("no partial list: a matrix without the broken stack would leave it unchecked");
        _repository.Run("platform", "list", "--json").ShouldSucceed().Output.Trim().ShouldBe("[\"broken\",\"demo\",\"prod\"]");
    }

    [Fact]
    public void Tenant_check_reports_a_tenant_whose_platform_is_missing_or_cannot_serve_it()
    {
        _repository.Run("tenant", "new", "751", "--hosting", "azure").ShouldSucceed();
        _repository.Run("tenant", "check").ShouldSucceed();
        _repository.WithFleetDefault("platformStack", "organization/os2borgerpc-platform/staging");

        _repository.Run("tenant", "check").ShouldFail("no stacks/platform/Pulumi.staging.yaml");

        _repository.WithFleetDefault("platformStack", "organization/os2borgerpc-platform/demo");
        _repository.Run("tenant", "check").ShouldFail("flavour cluster");
    }
}
