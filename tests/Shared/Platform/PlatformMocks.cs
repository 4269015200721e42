using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>
/// Engine mocks for the platform program: state is the inputs plus the outputs Azure would compute, in Azure's formats
/// (<see cref="AzureMockState"/>), the cluster's endpoint and OIDC issuer, public addresses, name servers; the client configuration
/// answers with a fixed tenant and subscription. Every registration is recorded.
/// </summary>
internal sealed class PlatformMocks : IMocks
{
    public const string Subscription = AzureMockState.Subscription;
    public const string TenantId = "11111111-1111-1111-1111-111111111111";
    public const string DeployerObjectId = "22222222-2222-2222-2222-222222222222";
    public const string ApiServer = "https://aks-os2borgerpc-prod-1a2b3c4d.hcp.westeurope.azmk8s.io:443";
    public const string ClusterCa = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t";

    /// <summary>What a cluster with local accounts hands out: a static client key and token. A tripwire, should any output carry it.</summary>
    public const string StaticKubeconfig = """
        apiVersion: v1
        kind: Config
        users:
        - name: clusterAdmin_rg_aks
          user:
            client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==
            token: 0123456789abcdef
        """;
    public const string OidcIssuer = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/";

    public ConcurrentQueue<RegisteredInputs> Registrations { get; } = new();

    /// <summary>
    /// The outputs the foundation stack of a platform stack recorded (empty for a stack made but never deployed), or null where
    /// there is no such stack: the shipped stacks' by default.
    /// </summary>
    public Func<string, ImmutableDictionary<string, object>?> FoundationStacks { get; init; } = stack =>
        ImmutableDictionary<string, object>.Empty.Add(PlatformDecisions.Decisions.FoundationOutputs.OutputName, FoundationFixture.Recorded(stack));

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        var type = args.Type ?? "";
        Registrations.Enqueue(new RegisteredInputs(type, args.Name ?? "", args.Inputs, args.Provider));
        var (id, computed) = AzureMockState.For(args) ?? ($"{args.Name}-id", args.Inputs);
        var state = computed.ToBuilder();
        switch (type)
        {
            case "azure:containerservice/kubernetesCluster:KubernetesCluster":
                // What azurerm reads from ListClusterUserCredentials on an Entra ID cluster: an exec kubeconfig, no credential.
                state["kubeConfigs"] = ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty
                    .Add("host", ApiServer).Add("clusterCaCertificate", ClusterCa));
                state["kubeConfigRaw"] = StaticKubeconfig;
                state["kubeAdminConfigRaw"] = StaticKubeconfig;
                state["oidcIssuerUrl"] = OidcIssuer;
                break;
            case "azure:network/publicIp:PublicIp":
                // By name, not by registration order: resources register concurrently, in an order that varies from run to run.
                state["ipAddress"] = args.Name switch
                {
                    "gateway" => "20.50.1.10",
                    { } name when name.StartsWith("egress-", StringComparison.Ordinal) => $"20.50.1.{10 + int.Parse(name["egress-".Length..], System.Globalization.CultureInfo.InvariantCulture)}",
                    _ => throw new InvalidOperationException($"PlatformMocks has no address for the public IP '{args.Name}'."),
                };
                break;
            case "pulumi:pulumi:StackReference":
                // The platform reads its foundation (organization/os2borgerpc-foundation/<stack>); any other reference is a mistake.
                var referenced = (string)args.Inputs["name"];
                const string foundation = "organization/" + PlatformDecisions.Decisions.FoundationOutputs.ProjectName + "/";
                if (!referenced.StartsWith(foundation, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"PlatformMocks has no stack '{referenced}'.");
                }
                // The engine fails the read of a stack that does not exist before the program sees anything: pulumi/pulumi
                // pkg/backend backendClient.GetStackOutputs, 'unknown stack "<name>"'. A stack with no root resource (made, never
                // deployed) reads as no outputs.
                var outputs = FoundationStacks(referenced[foundation.Length..])
                    ?? throw new InvalidOperationException($"unknown stack \"{referenced}\"");
                // What the engine's StackReference read returns: the outputs and the names of the secret ones (none here).
                state["secretOutputNames"] = ImmutableArray<object>.Empty;
                state["outputs"] = outputs;
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
