using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Rendering;

namespace OS2BorgerPC.Deploy.TenantProgram.Rendering;

/// <summary>
/// A tenant's Kubernetes objects as the program would apply them, for review (<c>tenant render</c>): the
/// program runs against mocks, never an engine, so no secret is ever decrypted or generated. Every secret
/// the program sees is <see cref="StandIn"/>, and every Secret's values are replaced when rendered.
/// </summary>
public static class TenantRender
{
    public const string StandIn = KubernetesManifest.SecretPlaceholder;

    /// <summary>The delegated subnet's range, read from Azure at <c>pulumi up</c>: a documentation range (RFC 5737) here.</summary>
    public const string SubnetStandIn = "192.0.2.0/24";

    /// <param name="platform">The facts the tenant's platform stack exports (recorded); a tenant naming its own facts file reads that instead.</param>
    public static async Task<IReadOnlyList<KubernetesManifest>> RenderAsync(StackConfig config, PlatformFacts? platform)
    {
        var mocks = new RecordingMocks(_ => StandIn, SubnetStandIn, _ => platform);
        await MockedProgram.RunAsync<TenantStack>(config.StackName, EngineEnvironment.For(config, StandIn), mocks);
        return mocks.Manifests();
    }
}
