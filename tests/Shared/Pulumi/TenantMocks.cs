using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using OS2BorgerPC.Deploy.Tenants.Platform;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>What the program sent the engine for one resource.</summary>
public sealed record RegisteredInputs(string Type, string Name, ImmutableDictionary<string, object> Inputs);

/// <summary>
/// Engine mocks: every resource's state is its inputs, ids are derived from names, and random
/// passwords get a recognisable fake value so tests can hunt for it in plain-text places.
/// Every registration is recorded, providers included.
/// A StackReference to a platform stack answers with that platform's recorded outputs (<see cref="RecordedPlatform"/>),
/// chosen by the referenced stack's own name: one containing "cluster" is the cluster flavour, one containing
/// "missing" exports nothing, any other (the fleet default, prod) the azure flavour.
/// </summary>
internal sealed class TenantMocks : IMocks
{
    public const string FakeSecretPrefix = "fake-secret-";

    /// <summary>The kubeconfig an azure-flavour platform stack exports (a secret output).</summary>
    public const string FakeKubeconfig = FakeSecretPrefix + "kubeconfig";

    /// <summary>The platform stack a referenced name stands for in these mocks, or null where it exports nothing.</summary>
    public static PlatformFacts? RecordedFor(string platformStack)
    {
        var name = platformStack[(platformStack.LastIndexOf('/') + 1)..];
        return name.Contains("missing", StringComparison.Ordinal) ? null
            : name.Contains("cluster", StringComparison.Ordinal) ? RecordedPlatform.Cluster
            : RecordedPlatform.Azure;
    }

    public ConcurrentQueue<RegisteredInputs> Registered { get; } = new();

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        Registered.Enqueue(new RegisteredInputs(args.Type ?? "", args.Name ?? "", args.Inputs));
        var state = args.Inputs.ToBuilder();
        switch (args.Type)
        {
            case "random:index/randomPassword:RandomPassword":
                state["result"] = FakeSecretPrefix + args.Name;
                break;
            case "azure:postgresql/flexibleServer:FlexibleServer":
                state["fqdn"] = $"{args.Inputs["name"]}.postgres.database.azure.com";
                break;
            case "pulumi:pulumi:StackReference":
                var outputs = ImmutableDictionary<string, object>.Empty;
                if (RecordedFor((string)args.Inputs["name"]) is { } facts)
                {
                    outputs = outputs
                        .Add(PlatformFacts.OutputName, JsonDocument.Parse(facts.ToJson()).RootElement)
                        .Add(PlatformFacts.KubeconfigOutputName, FakeKubeconfig);
                }
                state["outputs"] = outputs;
                state["secretOutputNames"] = ImmutableArray.Create<object>(PlatformFacts.KubeconfigOutputName);
                break;
            case "azure:storage/account:Account":
                state["primaryAccessKey"] = FakeSecretPrefix + "storage-key";
                break;
        }
        return Task.FromResult<(string?, object)>(($"{args.Name}-id", state.ToImmutable()));
    }

    public const string DelegatedSubnetCidr = "10.240.8.0/24";

    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(args.Token switch
    {
        "azure:network/getSubnet:getSubnet" => args.Args.SetItem("addressPrefixes", ImmutableArray.Create<object>(DelegatedSubnetCidr)),
        _ => args.Args,
    });
}
