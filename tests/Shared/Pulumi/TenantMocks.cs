using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>What the program sent the engine for one resource.</summary>
public sealed record RegisteredInputs(string Type, string Name, ImmutableDictionary<string, object> Inputs);

/// <summary>
/// Engine mocks: every resource's state is its inputs, ids are derived from names, and random
/// passwords get a recognisable fake value so tests can hunt for it in plain-text places.
/// Every registration is recorded, providers included.
/// </summary>
internal sealed class TenantMocks : IMocks
{
    public const string FakeSecretPrefix = "fake-secret-";

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
            case "azure:storage/account:Account":
                state["primaryAccessKey"] = FakeSecretPrefix + "storage-key";
                break;
            case "azure:authorization/userAssignedIdentity:UserAssignedIdentity":
                state["principalId"] = $"{args.Inputs["name"]}-principal";
                state["clientId"] = $"{args.Inputs["name"]}-client";
                state["tenantId"] = EntraTenantId;
                break;
        }
        return Task.FromResult<(string?, object)>(($"{args.Name}-id", state.ToImmutable()));
    }

    public const string DelegatedSubnetCidr = "10.240.8.0/24";

    /// <summary>The Entra tenant of every mocked managed identity.</summary>
    public const string EntraTenantId = "22222222-2222-2222-2222-222222222222";

    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(args.Token switch
    {
        "azure:network/getSubnet:getSubnet" => args.Args.SetItem("addressPrefixes", ImmutableArray.Create<object>(DelegatedSubnetCidr)),
        _ => args.Args,
    });
}
