using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.Infra.Tests.Testing;

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
        if (args.Type == "random:index/randomPassword:RandomPassword")
        {
            state["result"] = FakeSecretPrefix + args.Name;
        }
        return Task.FromResult<(string?, object)>(($"{args.Name}-id", state.ToImmutable()));
    }

    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(args.Args);
}
