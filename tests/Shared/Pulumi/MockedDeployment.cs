using System.Collections.Immutable;
using OS2BorgerPC.Deploy.Tenants.Configuration;
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
        var workspace = RepositoryRoot.Workspace();
        var (config, problem) = workspace.ReadStackText(stack, stackFileYaml);
        if (config is null)
        {
            throw new InvalidOperationException(problem!.ToString());
        }
        var environment = EngineEnvironment.For(config, SecretValue);
        return new EngineConfig(stack, environment.Config, environment.SecretKeys);
    }
}

/// <summary>Runs a Pulumi program the way <c>pulumi up</c> would, but against mocks.</summary>
public static class MockedDeployment
{
    /// <summary>
    /// <typeparamref name="TStack"/> with <paramref name="config"/> in the environment, as the engine
    /// starts it. Pulumi's test deployment is process-global: one run at a time.
    /// </summary>
    public static Task<ImmutableArray<Resource>> RunAsync<TStack>(EngineConfig config, IMocks mocks)
        where TStack : Stack, new() =>
        MockedProgram.RunAsync<TStack>(config.StackName, new EngineEnvironment(config.Config, config.SecretKeys), mocks);
}
