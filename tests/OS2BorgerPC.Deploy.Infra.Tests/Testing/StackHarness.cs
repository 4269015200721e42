using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.Tenants.Configuration;
using OS2BorgerPC.Deploy.Tenants.Municipalities;
using OS2BorgerPC.Deploy.Tenants.Templates;
using Pulumi;
using Pulumi.Testing;

namespace OS2BorgerPC.Deploy.Infra.Tests.Testing;

/// <summary>The resource options a resource was registered with, seen through a stack transformation.</summary>
public sealed record RegisteredOptions(string Type, string Name, bool Protect, bool RetainOnDelete, InputList<Resource> DependsOn)
{
    /// <summary>The names of the resources this one was told to wait for.</summary>
    public async Task<IReadOnlyList<string>> DependencyNames() =>
        (await DependsOn.ToOutput().Value()).Select(r => r.GetResourceName()).ToList();
}

/// <summary>A stack run under mocks: its resources and the options each was registered with.</summary>
public sealed record StackRun(ImmutableArray<Resource> Resources, IReadOnlyList<RegisteredOptions> Options, IReadOnlyList<RegisteredInputs> Inputs)
{
    public RegisteredInputs InputsOf(string type, string name) => Inputs.Single(i => i.Type == type && i.Name == name);

    /// <summary>Kubernetes objects as sent to the engine (providers excluded).</summary>
    public IEnumerable<RegisteredInputs> KubernetesObjects =>
        Inputs.Where(i => i.Type.StartsWith("kubernetes:", StringComparison.Ordinal));

    public T Single<T>(string name) where T : Resource =>
        Resources.OfType<T>().Single(r => r.GetResourceName() == name);

    public RegisteredOptions OptionsOf(string type, string name) => Options.Single(o => o.Type == type && o.Name == name);
}

/// <summary>
/// Runs <see cref="TenantStack"/> the way <c>pulumi up</c> would, but against mocks: the stack's config
/// is resolved from the real Pulumi.yaml plus a stack file, exactly as Pulumi hands it to the program.
/// </summary>
public static class StackHarness
{
    public const string EmailPassword = "fake-secret-email-password";

    private static readonly ConcurrentBag<RegisteredOptions> Observed = [];

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>A shipped stack (stacks/Pulumi.&lt;stack&gt;.yaml).</summary>
    public static Task<StackRun> RunShipped(string stack) =>
        Run(stack, File.ReadAllText(Path.Combine(RepositoryRoot, "stacks", $"Pulumi.{stack}.yaml")));

    /// <summary>A municipality's tenant as `tenant new` renders it.</summary>
    public static Task<StackRun> RunMunicipality(Municipality municipality) =>
        Run(municipality.Slug, NewTenant.For(municipality).RenderStackFile());

    public static async Task<StackRun> Run(string stack, string stackFileYaml)
    {
        var workspace = ProjectWorkspace.Open(RepositoryRoot);
        var (config, problem) = workspace.ReadStackText(stack, stackFileYaml);
        if (config is null)
        {
            throw new InvalidOperationException(problem!.ToString());
        }
        var pulumiConfig = new JsonObject();
        var secretKeys = new JsonArray();
        foreach (var (key, value) in config.Values)
        {
            if (SecureValue.Is(value))
            {
                // The engine hands the program decrypted secrets, and names them as secret keys.
                pulumiConfig[key] = EmailPassword;
                secretKeys.Add(key);
            }
            else if (value is not null)
            {
                pulumiConfig[key] = value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String
                    ? scalar.GetValue<string>()
                    : value.ToJsonString();
            }
        }
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", pulumiConfig.ToJsonString());
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", secretKeys.ToJsonString());
        Observed.Clear();
        try
        {
            var mocks = new TenantMocks();
            var resources = await Deployment.TestAsync<ObservedTenantStack>(mocks,
                new TestOptions { ProjectName = "os2borgerpc", StackName = stack, IsPreview = false });
            return new StackRun(resources, Observed.ToList(), mocks.Registered.ToList());
        }
        finally
        {
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);
            Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", null);
        }
    }

    /// <summary>The real stack, with a transformation that records each resource's options (and changes nothing).</summary>
    private sealed class ObservedTenantStack() : TenantStack(new StackOptions
    {
        ResourceTransformations =
        {
            args =>
            {
                Observed.Add(new RegisteredOptions(args.Resource.GetResourceType(), args.Resource.GetResourceName(),
                    args.Options.Protect ?? false, args.Options.RetainOnDelete ?? false, args.Options.DependsOn));
                return null;
            },
        },
    });

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("No Pulumi.yaml above the test binaries.");
    }
}
