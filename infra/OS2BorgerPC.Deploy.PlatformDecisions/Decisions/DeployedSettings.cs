using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>
/// The settings Azure cannot change in place: a change replaces the VNet, a subnet or the cluster, each protected
/// (so the update fails) or holding every tenant. The platform exports them (<see cref="OutputName"/>); <c>platform
/// check --against</c> compares a stack file with the recorded output and names each change with its migration path.
/// </summary>
public sealed record DeployedSettings(
    string Location,
    string NetworkPlugin,
    string NetworkPluginMode,
    string NetworkDataPlane,
    string VirtualNetwork,
    string ClusterSubnet,
    string PostgresSubnet,
    string PostgresDelegation,
    string ServiceCidr,
    string PodCidr,
    string DnsServiceIp)
{
    public const string OutputName = "deployedSettings";

    public static DeployedSettings Of(AzurePlatform azure) => new(
        azure.Location, AksNetwork.Plugin, AksNetwork.PluginMode, AksNetwork.DataPlane,
        azure.Network.VirtualNetwork.ToString(), azure.Network.ClusterSubnet.ToString(), azure.Network.PostgresSubnet.ToString(),
        AksNetwork.PostgresDelegation, azure.Network.ServiceCidr.ToString(), azure.Network.PodCidr.ToString(),
        azure.Network.DnsServiceIp.ToString());

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>A recorded output (<c>pulumi stack output deployedSettings --json</c>), or the problem reading it.</summary>
    public static (DeployedSettings? Settings, Problem? Problem) Read(string path, string display)
    {
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path));
            // The output may be recorded as the object or as its JSON text.
            var settings = node is JsonValue text ? JsonSerializer.Deserialize<DeployedSettings>(text.GetValue<string>(), Json) : node.Deserialize<DeployedSettings>(Json);
            return settings is null ? (null, Unreadable(display, "it is empty")) : (settings, null);
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException)
        {
            return (null, Unreadable(display, e.Message));
        }
    }

    private static Problem Unreadable(string display, string why) => new(display, "(file)", $"cannot be read as the platform's {OutputName} output: {why}",
        $"Record it again: pulumi stack output {OutputName} --json --stack <platform> > {display}");

    /// <summary>Each setting that differs between what is deployed and what the stack file asks for, with its migration path.</summary>
    public static IReadOnlyList<Problem> Replacements(DeployedSettings deployed, DeployedSettings planned, string stackFile)
    {
        const string key = "os2borgerpc-platform:platform.azure";
        var problems = new List<Problem>();
        void Compare(string setting, string was, string now, string what, string migration)
        {
            if (was != now)
            {
                problems.Add(new Problem(stackFile, $"{key}.{setting}", $"changes from {was} to {now}: Azure cannot change {what} in place, so the update would replace it.", migration));
            }
        }
        const string newPlatform = "Build a second platform stack with the new setting ('platform new'), move tenants to it one at a time (tenant platform.stack, backup and restore of each tenant's data), then retire the old platform. Or keep the deployed value.";
        Compare("location", deployed.Location, planned.Location, "the region of the cluster, network and state account", newPlatform);
        Compare("network.virtualNetwork", deployed.VirtualNetwork, planned.VirtualNetwork, "the virtual network's address space while subnets use it",
            "Add the new range as a second address space by hand and keep the old one listed, or " + newPlatform);
        Compare("network.clusterSubnet", deployed.ClusterSubnet, planned.ClusterSubnet, "a subnet with nodes in it",
            "Add a new node pool in a new subnet, drain and delete the old pool, then change the setting. Or keep the deployed value.");
        Compare("network.postgresSubnet", deployed.PostgresSubnet, planned.PostgresSubnet, "a delegated subnet with servers in it",
            "Servers cannot move subnets: restore each azure tenant's server into a new delegated subnet (point-in-time restore), then remove the old one. Or keep the deployed value.");
        Compare("(postgres subnet delegation)", deployed.PostgresDelegation, planned.PostgresDelegation, "a subnet's delegation while servers use it", newPlatform);
        Compare("network.serviceCidr", deployed.ServiceCidr, planned.ServiceCidr, "the cluster's service range", newPlatform);
        Compare("network.podCidr", deployed.PodCidr, planned.PodCidr, "the cluster's pod range", newPlatform);
        // azurerm v4.80.0 kubernetes_cluster_resource.go: network_profile.dns_service_ip is ForceNew, like service_cidr.
        Compare("network.dnsServiceIp", deployed.DnsServiceIp, planned.DnsServiceIp, "the cluster DNS service's address", newPlatform);
        Compare("(network plugin)", $"{deployed.NetworkPlugin}/{deployed.NetworkPluginMode}/{deployed.NetworkDataPlane}",
            $"{planned.NetworkPlugin}/{planned.NetworkPluginMode}/{planned.NetworkDataPlane}", "the cluster's network plugin", newPlatform);
        return problems;
    }
}
