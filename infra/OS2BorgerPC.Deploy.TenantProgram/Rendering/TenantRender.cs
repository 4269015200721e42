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

    /// <summary>
    /// The tenant's objects in <see cref="ApplyOrder"/>, or, where the program refuses its input (a problem of the
    /// stack file or of its platform), the program's own messages, as <c>pulumi up</c> prints them.
    /// </summary>
    /// <param name="platform">The facts the tenant's platform stack exports (recorded); a tenant naming its own facts file reads that instead.</param>
    public static async Task<(IReadOnlyList<KubernetesManifest>? Manifests, IReadOnlyList<string> Errors)> RenderAsync(StackConfig config, PlatformFacts? platform)
    {
        var mocks = new RecordingMocks(_ => StandIn, SubnetStandIn, _ => platform);
        try
        {
            await MockedProgram.RunAsync<TenantStack>(config.StackName, EngineEnvironment.For(config, StandIn), mocks);
        }
        catch (Exception e) when (ProgramErrors(e) is { } errors)
        {
            return (null, errors);
        }
        return (ApplyOrder.Sort(mocks.Manifests()), []);
    }

    /// <summary>
    /// The errors the program logged, which a test run throws as one RunException, or an AggregateException of one
    /// each (pulumi-dotnet sdk/Pulumi/Deployment/Deployment_Run.cs, TryTestAsync). The program raises bad input as a
    /// RunException, which Pulumi logs as its message alone (Runner.HandleExceptionAsync: "Always hide the stack for
    /// RunErrors"); so the messages are the program's own.
    /// </summary>
    private static IReadOnlyList<string>? ProgramErrors(Exception exception) => exception switch
    {
        Pulumi.RunException run => [run.Message],
        AggregateException all when all.InnerExceptions.All(inner => inner is Pulumi.RunException) => [.. all.InnerExceptions.Select(inner => inner.Message)],
        _ => null,
    };
}
