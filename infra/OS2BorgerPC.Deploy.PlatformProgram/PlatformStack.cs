using System.Collections.Immutable;
using System.Text.Json;
using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformProgram.Components;
using OS2BorgerPC.Deploy.PlatformProgram.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using Pulumi;
using Pulumi.Azure.Core;
using AzureProgram = OS2BorgerPC.Deploy.TenantDecisions.Security.AzureProgram;

namespace OS2BorgerPC.Deploy.PlatformProgram;

/// <summary>
/// One platform stack: what <c>pulumi up --stack &lt;platform&gt;</c> in infra/OS2BorgerPC.Deploy.PlatformProgram provisions.
/// azure: in the resource group its foundation made (infra/OS2BorgerPC.Deploy.FoundationProgram, an operator's), the network, the
/// AKS cluster, DNS, registry and the CI grants there; both flavours: the add-ons every tenant needs. Its outputs are
/// what tenant stacks read through their StackReference (<see cref="PlatformFacts"/>).
/// </summary>
public class PlatformStack : Stack
{
    public PlatformStack()
        : this(null)
    {
    }

    /// <param name="options">Stack options; tests observe the resource options through a transformation here.</param>
    protected PlatformStack(StackOptions? options)
        : base(options)
    {
        var platform = PulumiPlatformConfig.Load();
        var providerArgs = new Pulumi.Kubernetes.ProviderArgs { EnableServerSideApply = true };
        Output<JsonElement> facts;
        if (platform.Azure is { } azure)
        {
            CiGrants.RefuseBrokenDecisions();
            // One explicit provider for every Azure resource: the default one would reach the storage data plane.
            var azureProvider = AzureProviders.AzureProvider.Create(AzureProgram.Platform);
            var inAzure = new ComponentResourceOptions { Providers = { azureProvider } };
            var client = GetClientConfig.Invoke(new InvokeOptions { Provider = azureProvider });
            // The foundation (an operator's) made the group, the state, the backups and the CI identities; this program fills the group.
            var foundation = PulumiFoundation.Load(platform.Names);
            var group = new PlatformGroup(foundation.PlatformResourceGroup, Output.Create(foundation.PlatformResourceGroupId));
            var network = new PlatformNetwork(platform, group, inAzure);
            var cluster = new AksCluster(platform, group, network, inAzure);
            var dns = new FleetDnsZone(platform, group, cluster.OidcIssuerUrl, inAzure);
            var gatewayIp = new GatewayPublicIp(platform, GatewayAddress.For(platform)!, group, cluster, dns,
                foundation.RoleDefinitionIds[GatewayAddress.GroupPublicIpReader.Name], inAzure);
            var registry = new ImageRegistry(platform, group, cluster, inAzure);
            var tenants = PulumiPlatformConfig.Tenants(platform);
            new CiPlatformGrants(platform, foundation, network, cluster.ClusterId, [.. tenants.Select(t => t.Namespace)], inAzure);
            // Entra ID through kubelogin, as whoever runs the stack: no stored credential (AksKubeconfig).
            providerArgs.KubeConfig = cluster.Endpoint.Apply(AksKubeconfig.For);
            var provider = new Pulumi.Kubernetes.Provider("cluster", providerArgs);
            var gateway = AddOns(platform, provider, new AzureDnsSolver(client.Apply(c => c.SubscriptionId), dns.ZoneResourceGroup, platform.BaseDomain, dns.CertManagerClientId), gatewayIp.Ready);

            var ids = Output.Tuple(Output.Tuple(network.ClusterSubnetId, network.PostgresSubnetId, network.PostgresDnsZoneId, network.EgressIps,
                    dns.ZoneId, cluster.OidcIssuerUrl, cluster.Endpoint), registry.LoginServer)
                .Apply(p =>
                {
                    var t = p.Item1;
                    return new AzureCloudIds(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, foundation.BackupAccountId, t.Item7, p.Item2,
                        [.. foundation.TenantResourceGroupIds.Keys]);
                });
            facts = Output.Tuple(ids, DefaultPoliciesAccepted(gateway)).Apply(t => Json(TenantFacts.For(platform, t.Item1).ToJson()));
            DeployedSettings = Output.Create<JsonElement?>(Json(PlatformDecisions.Decisions.DeployedSettings.Of(azure).ToJson()));
            DnsNameServers = dns.NameServers;
            GatewayIp = gatewayIp.IpAddress.Apply(ip => (string?)ip);
            EgressIps = network.EgressIps;
        }
        else
        {
            providerArgs.Context = platform.Cluster!.Context;
            var gateway = AddOns(platform, new Pulumi.Kubernetes.Provider("cluster", providerArgs), null, []);
            facts = DefaultPoliciesAccepted(gateway).Apply(_ => Json(TenantFacts.For(platform, null).ToJson()));
            DeployedSettings = Output.Create((JsonElement?)null);
            DnsNameServers = Output.Create(ImmutableArray<string>.Empty);
            GatewayIp = Output.Create((string?)null);
            EgressIps = Output.Create(ImmutableArray<string>.Empty);
        }
        TenantPlatform = facts;
    }

    /// <param name="gatewayAddress">azure: the Gateway's public IP, once the cluster may use it.</param>
    private static EnvoyGateway AddOns(PlatformSettings platform, Pulumi.Kubernetes.Provider provider, AzureDnsSolver? dns, IReadOnlyList<Resource> gatewayAddress)
    {
        var inCluster = new ComponentResourceOptions { Providers = { provider } };
        var gateway = new EnvoyGateway(platform, gatewayAddress, inCluster);
        var certManager = new CertManager(platform, gateway, dns, inCluster);
        new CloudNativePgOperator(platform, certManager, inCluster);
        new PlatformStorageClasses(platform, inCluster);
        return gateway;
    }

    /// <summary>
    /// Known once every one of the Gateway's own SecurityPolicies was created, which the provider reports only after its
    /// awaited Accepted status: the facts tenants read (gateway.deniesUnprotectedRoutes) wait on it, so an <c>up</c> that
    /// fails at a policy's wait records no facts claiming the refusal.
    /// </summary>
    private static Output<ImmutableArray<string>> DefaultPoliciesAccepted(EnvoyGateway gateway) =>
        Output.All(gateway.DefaultPolicies.Select(policy => policy.Id));

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>What tenant stacks read (<see cref="PlatformFacts.OutputName"/>).</summary>
    [Output(PlatformFacts.OutputName)]
    public Output<JsonElement> TenantPlatform { get; private set; }

    /// <summary>The settings Azure cannot change in place, for <c>platform check --against</c> (azure).</summary>
    [Output(PlatformDecisions.Decisions.DeployedSettings.OutputName)]
    public Output<JsonElement?> DeployedSettings { get; private set; }

    /// <summary>Delegate the base domain to these at the registrar (azure).</summary>
    [Output("dnsNameServers")]
    public Output<ImmutableArray<string>> DnsNameServers { get; private set; }

    /// <summary>The shared Gateway's static address (azure): every tenant host in the base domain resolves to it.</summary>
    [Output("gatewayIp")]
    public Output<string?> GatewayIp { get; private set; }

    /// <summary>The cluster's static egress addresses (azure): what municipalities allow-list.</summary>
    [Output("egressIps")]
    public Output<ImmutableArray<string>> EgressIps { get; private set; }
}
