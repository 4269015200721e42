using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Tests.Support;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>Settings Azure cannot change in place are named, with the way to migrate, before an update tries.</summary>
public sealed class DeployedSettingsTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"deployed-{Guid.NewGuid():N}.json");

    private static DeployedSettings Planned(PlatformStackFile stack) => DeployedSettings.Of(stack.Load().ShouldBeValid().Azure!);

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void The_same_settings_need_no_replacement() =>
        DeployedSettings.Replacements(Planned(PlatformStackFile.Azure()), Planned(PlatformStackFile.Azure()), "f").ShouldBeEmpty();

    [Theory]
    [InlineData("azure.location", "\"northeurope\"", "location", "second platform stack")]
    [InlineData("azure.network.virtualNetwork", "\"10.240.0.0/15\"", "network.virtualNetwork", "second address space")]
    [InlineData("azure.network.postgresSubnet", "\"10.240.17.0/24\"", "network.postgresSubnet", "point-in-time restore")]
    [InlineData("azure.network.clusterSubnet", "\"10.240.32.0/20\"", "network.clusterSubnet", "new node pool")]
    [InlineData("azure.network.podCidr", "\"100.64.0.0/16\"", "network.podCidr", "second platform stack")]
    // azurerm v4.80.0 kubernetes_cluster_resource.go: network_profile.dns_service_ip is ForceNew.
    [InlineData("azure.network.dnsServiceIp", "\"10.0.0.20\"", "network.dnsServiceIp", "second platform stack")]
    public void A_change_azure_cannot_make_in_place_is_named_with_its_migration_path(string path, string json, string key, string migration)
    {
        var deployed = Planned(PlatformStackFile.Azure());
        File.WriteAllText(_file, deployed.ToJson());
        var (recorded, problem) = DeployedSettings.Read(_file, "deployed.json");
        problem.ShouldBeNull();

        var problems = DeployedSettings.Replacements(recorded!, Planned(PlatformStackFile.Azure().Set(path, json)), "stacks/platform/Pulumi.prod.yaml");

        var found = problems.ShouldHaveSingleItem();
        found.File.ShouldBe("stacks/platform/Pulumi.prod.yaml");
        found.Key.ShouldBe($"os2borgerpc-platform:platform.azure.{key}");
        found.Message.ShouldContain("cannot change");
        found.Fix.ShouldContain(migration);
    }

    [Fact]
    public void A_recorded_output_as_json_text_reads_the_same()
    {
        var deployed = Planned(PlatformStackFile.Azure());
        File.WriteAllText(_file, System.Text.Json.JsonSerializer.Serialize(deployed.ToJson()));

        DeployedSettings.Read(_file, "deployed.json").Settings.ShouldBe(deployed);
    }

    [Fact]
    public void An_unreadable_recording_says_how_to_record_it()
    {
        File.WriteAllText(_file, "{\"location\": \"westeurope\"}");

        var (settings, problem) = DeployedSettings.Read(_file, "deployed.json");

        settings.ShouldBeNull();
        problem!.Fix.ShouldContain("pulumi stack output deployedSettings --json");
    }
}
