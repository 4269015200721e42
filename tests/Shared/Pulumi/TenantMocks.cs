global using OS2BorgerPC.Deploy.TenantProgram.Rendering;
using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>
/// Engine mocks whose generated passwords get a recognisable fake value, so tests can hunt for it in
/// plain-text places; Azure's outputs come in Azure's formats. Every registration is recorded, providers included.
/// A StackReference to a platform stack answers with that platform's recorded outputs (<see cref="RecordedPlatform"/>),
/// chosen by the referenced stack's own name: one containing "cluster" is the cluster flavour, one containing
/// "missing" exports nothing, any other (the fleet default, prod) the azure flavour.
/// </summary>
internal sealed class TenantMocks() : RecordingMocks(name => FakeSecretPrefix + name, DelegatedSubnetCidr, RecordedFor)
{
    public const string FakeSecretPrefix = "fake-secret-";


    /// <summary>The platform stack a referenced name stands for in these mocks, or null where it exports nothing.</summary>
    public static PlatformFacts? RecordedFor(string platformStack)
    {
        var name = platformStack[(platformStack.LastIndexOf('/') + 1)..];
        return name.Contains("missing", StringComparison.Ordinal) ? null
            : name.Contains("monitored", StringComparison.Ordinal) ? RecordedPlatform.MonitoredCluster
            : name.Contains("cluster", StringComparison.Ordinal) ? RecordedPlatform.Cluster
            : name.Contains("stale-registry", StringComparison.Ordinal) ? RecordedPlatform.StaleRegistry
            : name.Contains("digests", StringComparison.Ordinal) ? RecordedPlatform.DigestsRequired
            : name.Contains("groups-not-made", StringComparison.Ordinal) ? RecordedPlatform.GroupsNotMade
            : RecordedPlatform.Azure;
    }

    public const string DelegatedSubnetCidr = "10.240.8.0/24";

    /// <summary>The stand-ins, with what Azure computes in Azure's own formats (<see cref="AzureMockState"/>): ARM IDs, GUIDs, a picked zone.</summary>
    public override async Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        var (id, state) = await base.NewResourceAsync(args);
        return AzureMockState.For(args) is { } azure
            ? (azure.Id, ((ImmutableDictionary<string, object>)state).SetItems(azure.State))
            : (id, state);
    }
}
