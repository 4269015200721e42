using System.Collections.Concurrent;
using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using Pulumi;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;

/// <summary>The resource options a resource was registered with, seen through a stack transformation.</summary>
public sealed record RegisteredOptions(
    string Type, string Name, bool Protect, bool RetainOnDelete, InputList<Resource> DependsOn,
    IReadOnlyList<string> IgnoreChanges, bool DeleteBeforeReplace, CustomTimeouts? Timeouts)
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
    public const string EmailPassword = EngineConfig.SecretValue;

    private static readonly ConcurrentBag<RegisteredOptions> Observed = [];

    /// <summary>A shipped stack (stacks/Pulumi.&lt;stack&gt;.yaml).</summary>
    public static Task<StackRun> RunShipped(string stack) =>
        Run(stack, RepositoryRoot.StackText(stack));

    /// <summary>A shipped stack as the file of a tenant that still has the retired backups claim says it.</summary>
    public static Task<StackRun> RunShippedWithRetiredBackupsClaim(string stack) =>
        Run(stack, RepositoryRoot.WithRetiredBackupsClaim(RepositoryRoot.StackText(stack)));

    /// <summary>A municipality's tenant as `tenant new` renders it.</summary>
    public static Task<StackRun> RunMunicipality(Municipality municipality) =>
        Run(municipality.Slug, NewTenant.For(municipality).RenderStackFile());

    /// <summary>The platform a shipped stack runs on under these mocks: its recorded facts file, or the recorded output of its platform stack.</summary>
    public static TenantDecisions.Platform.PlatformFacts PlatformOf(string stack) => PlatformOf(RepositoryRoot.Tenant(stack));

    /// <summary>The platform a municipality's tenant, as `tenant new` writes it, runs on under these mocks.</summary>
    public static TenantDecisions.Platform.PlatformFacts PlatformOf(Municipality municipality) =>
        PlatformOf(TenantDecisions.Validation.TenantLoader.Load(RepositoryRoot.Workspace().ReadStackText(municipality.Slug, NewTenant.For(municipality).RenderStackFile())).OrThrow());

    private static TenantDecisions.Platform.PlatformFacts PlatformOf(TenantDecisions.Model.Tenant tenant) =>
        tenant.Platform.FactsFile is not null
            ? TenantDecisions.Platform.PlatformInputs.ReadFactsFile(RepositoryRoot.FullPath, tenant.Platform, $"stacks/Pulumi.{tenant.Slug}.yaml").Facts!
            : TenantMocks.RecordedFor(tenant.Platform.Stack)!;

    public static async Task<StackRun> Run(string stack, string stackFileYaml)
    {
        var config = EngineConfig.FromStackFile(stack, stackFileYaml);
        Observed.Clear();
        var mocks = new TenantMocks();
        var resources = await MockedDeployment.RunAsync<ObservedTenantStack>(config, mocks);
        return new StackRun(resources, Observed.ToList(), mocks.Registered.ToList());
    }

    /// <summary>The real stack, with a transformation that records each resource's options (and changes nothing).</summary>
    private sealed class ObservedTenantStack() : TenantStack(new StackOptions
    {
        ResourceTransformations =
        {
            args =>
            {
                Observed.Add(new RegisteredOptions(args.Resource.GetResourceType(), args.Resource.GetResourceName(),
                    args.Options.Protect ?? false, args.Options.RetainOnDelete ?? false, args.Options.DependsOn,
                    [.. args.Options.IgnoreChanges], (args.Options as CustomResourceOptions)?.DeleteBeforeReplace ?? false, args.Options.CustomTimeouts));
                return null;
            },
        },
    });
}
