using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>
/// Engine mocks for the platform program: state is the inputs plus the outputs Azure would compute, in Azure's formats
/// (<see cref="AzureMockState"/>), the cluster's kubeconfig and OIDC issuer, public addresses, name servers; the client configuration
/// answers with a fixed tenant and subscription. Every registration is recorded.
/// </summary>
internal sealed class PlatformMocks : IMocks
{
    public const string Subscription = AzureMockState.Subscription;
    public const string TenantId = "11111111-1111-1111-1111-111111111111";
    public const string DeployerObjectId = "22222222-2222-2222-2222-222222222222";
    public const string FakeKubeconfig = "fake-secret-kubeconfig";
    public const string OidcIssuer = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/";

    public ConcurrentQueue<RegisteredInputs> Registrations { get; } = new();

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        var type = args.Type ?? "";
        Registrations.Enqueue(new RegisteredInputs(type, args.Name ?? "", args.Inputs, args.Provider));
        var (id, computed) = AzureMockState.For(args) ?? ($"{args.Name}-id", args.Inputs);
        var state = computed.ToBuilder();
        switch (type)
        {
            case "azure:containerservice/kubernetesCluster:KubernetesCluster":
                state["kubeConfigRaw"] = FakeKubeconfig;
                state["oidcIssuerUrl"] = OidcIssuer;
                break;
            case "azure:network/publicIp:PublicIp":
                state["ipAddress"] = $"20.50.1.{10 + Registrations.Count(r => r.Type == type)}";
                break;
            case "azure:dns/zone:Zone":
                state["nameServers"] = ImmutableArray.Create<object>("ns1-01.azure-dns.com.", "ns2-01.azure-dns.net.");
                break;
        }
        return Task.FromResult<(string?, object)>((id, state.ToImmutable()));
    }

    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(args.Token switch
    {
        "azure:core/getClientConfig:getClientConfig" => ImmutableDictionary<string, object>.Empty
            .Add("clientId", "deployer").Add("id", "deployer").Add("objectId", DeployerObjectId)
            .Add("subscriptionId", Subscription).Add("tenantId", TenantId),
        _ => args.Args,
    });
}
