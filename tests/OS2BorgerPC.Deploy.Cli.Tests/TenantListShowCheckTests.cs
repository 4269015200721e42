using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.Testing;
using static OS2BorgerPC.Deploy.Cli.Tests.CliRun;

namespace OS2BorgerPC.Deploy.Cli.Tests;

public sealed class TenantListShowCheckTests : IDisposable
{
    private readonly TempRepository _repository = new();

    public TenantListShowCheckTests()
    {
        _repository.Run("tenant", "new", "751", "--size", "large", "--ring", "canary").ShouldSucceed();
        _repository.Run("tenant", "new", "--name", "Fælles IT", "--slug", "faelles-it", "--municipality", "240", "--municipality", "190",
            "--hosting", "azure", "--egress", "20.50.1.10", "--version", "7.2.0",
            "--cluster-subnet-id", TenantNewTests.NodeSubnetId, "--oidc-issuer", TenantNewTests.OidcIssuer).ShouldSucceed();
    }

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void List_shows_one_row_per_tenant()
    {
        var lines = _repository.Run("tenant", "list").ShouldSucceed().Output.Split('\n');

        Cells(lines.Single(l => l.Contains("slug"))).ShouldBe(["slug", "name", "host", "hosting", "size", "ring", "version"]);
        Cells(lines.Single(l => l.Contains(" aarhus "))).ShouldBe(["aarhus", "Aarhus Kommune", "aarhus.borgerpc.dk", "kubernetes", "large", "canary", "7.1.0"]);
        Cells(lines.Single(l => l.Contains(" faelles-it "))).ShouldBe(["faelles-it", "Fælles IT", "faelles-it.borgerpc.dk", "azure", "small", "broad", "7.2.0"]);
    }

    [Fact]
    public void List_of_one_ring_gives_its_tenants_only()
    {
        _repository.Run("tenant", "list", "--json", "--ring", "canary").ShouldSucceed().Output.Trim().ShouldBe("[\"aarhus\"]");
        _repository.Run("tenant", "list", "--json", "--ring", "early").ShouldSucceed().Output.Trim().ShouldBe("[]");
        var run = _repository.Run("tenant", "list", "--json", "--ring", "last");
        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("--ring: 'last' is not a rollout ring.");
    }

    [Fact]
    public void List_marks_an_invalid_stack_and_fails()
    {
        _repository.WithStack("broken", "config:\n  os2borgerpc:tenant:\n    slug: broken\n");

        var run = _repository.Run("tenant", "list");

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("aarhus.borgerpc.dk");
        Cells(run.Output.Split('\n').Single(l => l.Contains(" broken "))).ShouldBe(["broken", "invalid: 3 problem(s)"]);
        run.Error.ShouldContain("1 invalid stack file(s) and 0 clash(es)");
    }

    [Fact]
    public void Show_gives_the_resolved_tenant_and_its_derived_names()
    {
        var settings = Settings(_repository.Run("tenant", "show", "aarhus").ShouldSucceed().Output);

        settings["admin URL"].ShouldBe("https://aarhus.borgerpc.dk/");
        settings["size"].ShouldBe("large");
        settings["time zone, language"].ShouldBe("Europe/Copenhagen, da-dk");
        settings["namespace"].ShouldBe("os2borgerpc-aarhus");
        settings["resource group"].ShouldBe("rg-os2borgerpc-aarhus");
        settings["PostgreSQL server"].ShouldBe("psql-os2bpc-aarhus-51287a");
        settings["storage account"].ShouldBe("os2bpcaarhus51287a");
        settings["shares"].ShouldBe("aarhus-media, aarhus-backups");
        settings.ShouldNotContainKey("azure location");
    }

    [Fact]
    public void Show_gives_an_azure_tenant_its_network()
    {
        var settings = Settings(_repository.Run("tenant", "show", "faelles-it").ShouldSucceed().Output);

        settings["municipality codes"].ShouldBe("240, 190");
        settings["azure location"].ShouldBe("westeurope");
        settings["azure database network"].ShouldBe("firewall: 20.50.1.10/32");
    }

    [Fact]
    public void Show_with_the_platform_facts_gives_the_route_the_allow_list_and_the_network_peers()
    {
        var facts = PlatformFile(RecordedPlatform.Cluster);

        var settings = Settings(_repository.Run("tenant", "show", "aarhus", "--platform", facts).ShouldSucceed().Output);

        settings["route admin-site"].ShouldStartWith("aarhus.borgerpc.dk/ -> Service admin-site:80");
        settings["allow-list"].ShouldContain("Allow 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16");
        settings["allow-list"].ShouldContain("Deny everything else");
        settings["network admin-site-ingress"].ShouldContain("from gateway (envoy-gateway-system: gateway.envoyproxy.io/owning-gateway-name=os2borgerpc");
        settings["certificate"].ShouldBe("the platform's, on the shared Gateway's HTTPS listener");
        settings.ShouldNotContainKey("network acme-solver-ingress");
        settings["network allow-dns"].ShouldContain("cluster DNS (kube-system: k8s-app=kube-dns) on 53/UDP, 53");
        // The data path: the backup reaches the store; the operator and the (large: three) instances reach the database; it reaches the API server and the store.
        settings["network backup-egress"].ShouldContain("off-site store (https://s3.backup.example.dk) (0.0.0.0/0 except 10.0.0.0/8");
        settings["network database-ingress"].ShouldContain("from CloudNativePG operator (cnpg-system: app.kubernetes.io/instance=cloudnative-pg, app.kubernetes.io/name=cloudnative-pg) on 8000, 5432");
        settings["network database-ingress"].ShouldContain("from database on 5432, 8000");
        settings["network database-egress"].ShouldContain("to Kubernetes API server (10.20.0.10/32) | Kubernetes API server (10.20.0.11/32) | Kubernetes API server (10.20.0.12/32) on 6443");
        settings["network database-egress"].ShouldContain("to off-site store (https://s3.backup.example.dk)");
    }

    [Fact]
    public void Show_refuses_a_platform_whose_gateway_cannot_enforce_the_allow_list()
    {
        var facts = PlatformFile(RecordedPlatform.Cluster with { Gateway = RecordedPlatform.Cluster.Gateway with { Implementation = "istio" } });

        _repository.Run("tenant", "show", "aarhus", "--platform", facts)
            .ShouldFail("stacks/Pulumi.aarhus.yaml: platform stack output tenantPlatform.gateway.implementation: is 'istio'");
    }

    [Fact]
    public void Show_of_an_unknown_tenant_fails() =>
        _repository.Run("tenant", "show", "nosuch").ShouldFail("stacks/Pulumi.nosuch.yaml: (file): There is no stack file for 'nosuch'.");

    [Fact]
    public void Check_passes_a_valid_fleet() =>
        _repository.Run("tenant", "check").ShouldSucceed().Output.ShouldContain("All 2 tenants are valid and distinct.");

    [Fact]
    public void Check_names_the_file_and_key_of_every_problem()
    {
        var path = _repository.StackPath("aarhus");
        File.WriteAllText(path, File.ReadAllText(path).Replace("size: large", "size: huge").Replace("hosting: kubernetes", "hosting: aws"));

        var run = _repository.Run("tenant", "check").ShouldFail("error: stacks/Pulumi.aarhus.yaml: os2borgerpc:tenant.size: 'huge' is not a known size.");

        run.Error.ShouldContain("error: stacks/Pulumi.aarhus.yaml: os2borgerpc:tenant.hosting: 'aws' is not a known hosting.");
        run.Error.ShouldContain("fix: Use one of: small, medium, large.");
        run.Error.ShouldContain("2 problems found; nothing was changed.");
        run.Output.ShouldBeEmpty();
    }

    /// <summary>
    /// A kubernetes tenant deployed before the backups claim was retired says so in its file, and its storage quota
    /// counts the claim; an azure tenant never had one, and the key is refused there with the file, key and fix.
    /// </summary>
    [Fact]
    public void The_retired_backups_claim_is_shown_for_a_kubernetes_tenant_and_refused_for_an_azure_one()
    {
        var quota = Settings(_repository.Run("tenant", "show", "aarhus").ShouldSucceed().Output)["quota storage"];
        quota.ShouldNotContain("backups");
        RetiredBackupsClaim("aarhus");
        RetiredBackupsClaim("faelles-it");

        var large = SizeProfile.For(SizeTier.Large);
        Settings(_repository.Run("tenant", "show", "aarhus").ShouldSucceed().Output)["quota storage"]
            .ShouldBe($"{Quantities.Storage(TenantQuota.Storage(large, Hosting.Kubernetes, true).StorageGiB)} in {TenantQuota.Storage(large, Hosting.Kubernetes, true).Claims} claims, the retired backups claim included");
        var run = _repository.Run("tenant", "check").ShouldFail("error: stacks/Pulumi.faelles-it.yaml: os2borgerpc:tenant.storage.retiredBackupsClaim: is set, but hosting is azure");
        run.Error.ShouldContain("fix: Remove os2borgerpc:tenant.storage.retiredBackupsClaim.");
        run.Error.ShouldNotContain("Pulumi.aarhus.yaml");
    }

    private void RetiredBackupsClaim(string stack)
    {
        var path = _repository.StackPath(stack);
        File.WriteAllText(path, RepositoryRoot.WithRetiredBackupsClaim(File.ReadAllText(path)));
    }

    /// <summary>A fleet repository holding only the tenant project and its stacks.</summary>
    [Fact]
    public void Check_without_the_platform_project_names_the_missing_file()
    {
        File.Delete(Path.Combine(_repository.Root, TempRepository.PlatformProjectFolder, "Pulumi.yaml"));

        var run = _repository.Run("tenant", "check").ShouldFail(
            "error: infra/OS2BorgerPC.Deploy.PlatformProgram/Pulumi.yaml: (file): The file does not exist.");

        run.Error.ShouldNotContain("Exception");
    }

    // Two projects have a Pulumi.yaml: a problem in the platform's names its path from the repository root.
    [Fact]
    public void Check_names_the_platform_project_s_file_when_it_has_no_name()
    {
        var project = Path.Combine(_repository.Root, TempRepository.PlatformProjectFolder, "Pulumi.yaml");
        File.WriteAllText(project, string.Join('\n', File.ReadAllLines(project).Where(line => !line.StartsWith("name:", StringComparison.Ordinal))));

        _repository.Run("tenant", "check").ShouldFail("error: infra/OS2BorgerPC.Deploy.PlatformProgram/Pulumi.yaml: name: The project has no name.");
    }

    [Fact]
    public void Check_reports_a_clash_between_stack_files()
    {
        // A hand-written stack file that claims Aarhus as well.
        _repository.WithStack("zealand", File.ReadAllText(_repository.StackPath("aarhus")).Replace("slug: aarhus", "slug: zealand"));

        _repository.Run("tenant", "check").ShouldFail(
            "error: stacks/Pulumi.zealand.yaml: os2borgerpc:tenant.municipalityCodes: Municipality 751 is also served by tenant 'aarhus'");
    }

    /// <summary>faelles-it is deployed in westeurope; its stack file now says northeurope.</summary>
    [Fact]
    public void Check_against_the_deployed_outputs_reports_a_setting_fixed_at_creation()
    {
        var deployed = Path.Combine(_repository.Root, "deployed.json");
        File.WriteAllText(deployed, """
            {
              "faelles-it": { "adminUrl": "https://faelles-it.borgerpc.dk/", "immutableSettings": { "hosting": "azure", "azure.location": "westeurope" } },
              "aarhus": { "immutableSettings": { "hosting": "kubernetes" } }
            }
            """);
        _repository.Run("tenant", "check", "--against", "deployed.json").ShouldSucceed();
        var path = _repository.StackPath("faelles-it");
        File.WriteAllText(path, File.ReadAllText(path).Replace("# location: westeurope  # defaults to azureLocation in Pulumi.yaml", "location: northeurope"));

        var run = _repository.Run("tenant", "check", "--against", "deployed.json").ShouldFail(
            "error: stacks/Pulumi.faelles-it.yaml: os2borgerpc:tenant.azure.location: changes from 'westeurope' (deployed) to 'northeurope', but cannot change in place");

        run.Error.ShouldContain("tenant import");
        run.Error.ShouldContain("1 problem found; nothing was changed.");
    }

    [Fact]
    public void Check_against_a_missing_file_fails() =>
        _repository.Run("tenant", "check", "--against", "nosuch.json").ShouldFail("--against: ").Error.ShouldContain("nosuch.json does not exist");

    /// <summary>A platform's tenantPlatform output, as `pulumi stack output --json` writes it.</summary>
    private string PlatformFile(TenantDecisions.Platform.PlatformFacts facts)
    {
        var file = Path.Combine(_repository.Folder("platform"), "platform.json");
        File.WriteAllText(file, facts.ToJson());
        return file;
    }

    /// <summary>The table's rows; a long value wraps onto rows with an empty setting cell, joined back here.</summary>
    private static Dictionary<string, string> Settings(string table)
    {
        var settings = new Dictionary<string, string>();
        var last = "";
        foreach (var line in table.Split('\n').Where(l => l.StartsWith('│')))
        {
            var cells = line.Split('│').Select(cell => cell.Trim()).ToArray();
            if (cells is [_, "", var more, _] && last.Length > 0)
            {
                settings[last] += " " + more;
            }
            else if (cells is [_, var key, var value, _])
            {
                settings[last = key] = value;
            }
        }
        return settings;
    }
}
