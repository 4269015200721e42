using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Rendering;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.TenantProgram.Rendering;

/// <summary>What the program sent the engine for one resource.</summary>
/// <param name="Provider">The provider reference it was registered with (<c>&lt;provider urn&gt;::&lt;provider id&gt;</c>), if any.</param>
public sealed record RegisteredInputs(string Type, string Name, ImmutableDictionary<string, object> Inputs, string? Provider = null);

/// <summary>
/// Engine mocks for running the program without an engine: every resource's state is its inputs, ids are
/// derived from names, and what only a real engine or cloud would produce gets a stand-in: generated
/// passwords and keys (<paramref name="secret"/> of the resource's name), a server's FQDN, the delegated
/// subnet's address range, a managed identity's ids. A StackReference to a platform stack answers with the facts
/// <paramref name="platformFor"/> gives for the referenced stack's name (none: it exports nothing). Every registration
/// is recorded, providers included.
/// </summary>
public class RecordingMocks(Func<string, string> secret, string delegatedSubnetCidr, Func<string, PlatformFacts?> platformFor) : IMocks
{
    /// <summary>The Entra tenant of every mocked managed identity.</summary>
    public const string EntraTenantId = "22222222-2222-2222-2222-222222222222";

    /// <summary>The address the platform's Gateway reports in its status when a tenant stack reads it (a documentation address).</summary>
    public const string GatewayAddress = "203.0.113.10";

    public ConcurrentQueue<RegisteredInputs> Registered { get; } = new();

    /// <summary>The Kubernetes objects among the registrations (Secret values replaced).</summary>
    public IReadOnlyList<KubernetesManifest> Manifests() =>
        KubernetesManifest.FromRegistrations(Registered.Select(r => (r.Type, (IReadOnlyDictionary<string, object>)r.Inputs)));

    public virtual Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        // A read of an existing Kubernetes object (the platform's Gateway) is not an object the program creates.
        if (string.IsNullOrEmpty(args.Id) || !(args.Type ?? "").StartsWith("kubernetes:", StringComparison.Ordinal))
        {
            Registered.Enqueue(new RegisteredInputs(args.Type ?? "", args.Name ?? "", args.Inputs, args.Provider));
        }
        var state = args.Inputs.ToBuilder();
        switch (args.Type)
        {
            case "random:index/randomPassword:RandomPassword":
                state["result"] = secret(args.Name ?? "");
                break;
            case "azure:postgresql/flexibleServer:FlexibleServer":
                state["fqdn"] = $"{args.Inputs["name"]}.postgres.database.azure.com";
                break;
            case "azure:storage/account:Account":
                state["primaryAccessKey"] = secret("storage-key");
                break;
            case "kubernetes:gateway.networking.k8s.io/v1:Gateway" when !string.IsNullOrEmpty(args.Id):
                state["status"] = ImmutableDictionary<string, object>.Empty.Add("addresses",
                    ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add("type", "IPAddress").Add("value", GatewayAddress)));
                break;
            case "pulumi:pulumi:StackReference":
                var outputs = ImmutableDictionary<string, object>.Empty;
                if (platformFor((string)args.Inputs["name"]) is { } facts)
                {
                    outputs = outputs.Add(PlatformFacts.OutputName, JsonDocument.Parse(facts.ToJson()).RootElement);
                }
                state["outputs"] = outputs;
                // The platform exports no secret: an AKS cluster is reached through Entra ID, not a stored kubeconfig.
                state["secretOutputNames"] = ImmutableArray<object>.Empty;
                break;
            case "azure:authorization/userAssignedIdentity:UserAssignedIdentity":
                state["principalId"] = $"{args.Inputs["name"]}-principal";
                state["clientId"] = $"{args.Inputs["name"]}-client";
                state["tenantId"] = EntraTenantId;
                break;
        }
        return Task.FromResult<(string?, object)>(($"{args.Name}-id", state.ToImmutable()));
    }

    public virtual Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(args.Token switch
    {
        "azure:network/getSubnet:getSubnet" => args.Args.SetItem("addressPrefixes", ImmutableArray.Create<object>(delegatedSubnetCidr)),
        _ => args.Args,
    });
}
