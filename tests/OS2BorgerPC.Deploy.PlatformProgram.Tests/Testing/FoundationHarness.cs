using OS2BorgerPC.Deploy.FoundationProgram;
using OS2BorgerPC.Deploy.FoundationProgram.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;

namespace OS2BorgerPC.Deploy.PlatformProgram.Tests.Testing;

/// <summary>Runs <see cref="FoundationStack"/> as an operator's <c>pulumi up</c> would, against mocks, for a platform stack file.</summary>
public static class FoundationHarness
{
    private static StackConfig? _platform;

    public static Task<PlatformRun> RunShipped(string stack) =>
        Run(stack, File.ReadAllText(PlatformWorkspace.Open(RepositoryRoot.FullPath).StackFilePath(stack)));

    /// <param name="platformYaml">The platform stack file the foundation serves (as if it were stacks/platform/Pulumi.&lt;stack&gt;.yaml).</param>
    public static async Task<PlatformRun> Run(string stack, string platformYaml)
    {
        var (config, problem) = PlatformWorkspace.Open(RepositoryRoot.FullPath).Project.ReadStackText(stack, platformYaml);
        _platform = config ?? throw new InvalidOperationException(problem!.ToString());
        PlatformHarness.Reset();
        var mocks = new PlatformMocks();
        // The foundation's own stack file holds no settings: its engine config is empty.
        var resources = await MockedDeployment.RunAsync<ObservedFoundationStack>(
            new EngineConfig(stack, "{}", "[]"), mocks, PlatformDecisions.Decisions.FoundationOutputs.ProjectName);
        return new PlatformRun(resources, mocks.Registrations.ToList(), PlatformHarness.ObservedOptions());
    }

    private sealed class ObservedFoundationStack() : FoundationStack(PlatformHarness.Observing(),
        _ => FoundationConfig.Of(PlatformLoader.Load(_platform!), _platform!.StackFile));
}
