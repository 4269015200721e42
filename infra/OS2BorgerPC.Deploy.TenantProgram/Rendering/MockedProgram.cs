using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using Pulumi;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.TenantProgram.Rendering;

/// <summary>Runs a Pulumi program the way <c>pulumi up</c> would, but against mocks instead of an engine.</summary>
public static class MockedProgram
{
    /// <summary>
    /// <typeparamref name="TStack"/> with <paramref name="environment"/> in the process environment, as the
    /// engine starts it. Pulumi's test deployment is process-global: one run at a time.
    /// </summary>
    public static async Task<ImmutableArray<Resource>> RunAsync<TStack>(string stackName, EngineEnvironment environment, IMocks mocks, string projectName = ConfigKeys.Namespace)
        where TStack : Stack, new()
    {
        Environment.SetEnvironmentVariable(EngineEnvironment.ConfigVariable, environment.Config);
        Environment.SetEnvironmentVariable(EngineEnvironment.SecretKeysVariable, environment.SecretKeys);
        try
        {
            return await Deployment.TestAsync<TStack>(mocks,
                new TestOptions { ProjectName = projectName, StackName = stackName, IsPreview = false });
        }
        finally
        {
            Environment.SetEnvironmentVariable(EngineEnvironment.ConfigVariable, null);
            Environment.SetEnvironmentVariable(EngineEnvironment.SecretKeysVariable, null);
        }
    }
}
