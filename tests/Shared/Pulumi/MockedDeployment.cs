using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using Pulumi;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>
/// A stack's config as the Pulumi engine hands it to the program: the PULUMI_CONFIG and
/// PULUMI_CONFIG_SECRET_KEYS environment variables.
/// </summary>
public sealed record EngineConfig(string StackName, string Config, string SecretKeys)
{
    /// <summary>What the engine hands the program for every <c>secure:</c> value (decrypted).</summary>
    public const string SecretValue = "fake-secret-email-password";

    /// <summary>Resolved from the real Pulumi.yaml plus a stack file, exactly as Pulumi resolves it.</summary>
    public static EngineConfig FromStackFile(string stack, string stackFileYaml)
    {
        var (config, problem) = RepositoryRoot.Workspace().ReadStackText(stack, stackFileYaml);
        return From(config ?? throw new InvalidOperationException(problem!.ToString()));
    }

    /// <summary>A stack's resolved config (of either project) as the engine hands it over.</summary>
    public static EngineConfig From(StackConfig config)
    {
        var environment = EngineEnvironment.For(config, SecretValue);
        return new EngineConfig(config.StackName, environment.Config, environment.SecretKeys);
    }
}

/// <summary>Runs a Pulumi program the way <c>pulumi up</c> would, but against mocks.</summary>
public static class MockedDeployment
{
    /// <summary>
    /// <typeparamref name="TStack"/> with <paramref name="config"/> in the environment, as the engine
    /// starts it. Pulumi's test deployment is process-global: one run at a time.
    /// </summary>
    /// <param name="projectName">The Pulumi project: the tenant program's unless given.</param>
    public static Task<ImmutableArray<Resource>> RunAsync<TStack>(EngineConfig config, IMocks mocks, string projectName = ConfigKeys.Namespace)
        where TStack : Stack, new() =>
        MockedProgram.RunAsync<TStack>(config.StackName, new EngineEnvironment(config.Config, config.SecretKeys), mocks, projectName);
}
