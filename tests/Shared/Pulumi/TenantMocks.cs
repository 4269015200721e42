using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>What the program sent the engine for one resource.</summary>
public sealed record RegisteredInputs(string Type, string Name, ImmutableDictionary<string, object> Inputs);

/// <summary>
/// Engine mocks: every resource's state is its inputs, ids are derived from names, and random
/// passwords get a recognisable fake value so tests can hunt for it in plain-text places.
/// Every registration is recorded, providers included; reads of existing objects are answered, not recorded.
/// </summary>
internal sealed class TenantMocks : IMocks
{
    public const string FakeSecretPrefix = "fake-secret-";

    public ConcurrentQueue<RegisteredInputs> Registered { get; } = new();

    /// <summary>The address the platform's Gateway reports in its status when a tenant stack reads it.</summary>
    public const string GatewayAddress = "203.0.113.10";

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        // A read (an existing object looked up by id, e.g. the platform's Gateway) is not an object the program creates.
        if (string.IsNullOrEmpty(args.Id))
        {
            Registered.Enqueue(new RegisteredInputs(args.Type ?? "", args.Name ?? "", args.Inputs));
        }
        var state = args.Inputs.ToBuilder();
        switch (args.Type)
        {
            case "random:index/randomPassword:RandomPassword":
                state["result"] = FakeSecretPrefix + args.Name;
                break;
            case "azure:postgresql/flexibleServer:FlexibleServer":
                state["fqdn"] = $"{args.Inputs["name"]}.postgres.database.azure.com";
                break;
            case "kubernetes:gateway.networking.k8s.io/v1:Gateway" when !string.IsNullOrEmpty(args.Id):
                state["status"] = ImmutableDictionary<string, object>.Empty.Add("addresses",
                    ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add("type", "IPAddress").Add("value", GatewayAddress)));
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
