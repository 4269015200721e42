using System.Collections.Concurrent;
using System.Collections.Immutable;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using Pulumi;

namespace OS2BorgerPC.Deploy.PlatformProgram.Tests.Testing;

public sealed record RegisteredOptions(
    string Type, string Name, bool Protect, bool RetainOnDelete, InputList<Resource> DependsOn, IReadOnlyList<string> IgnoreChanges, bool DeleteBeforeReplace = false)
{
    /// <summary>The explicit dependencies, as "type name".</summary>
    public async Task<IReadOnlyList<string>> DependencyNames()
    {
        var names = new List<string>();
        await foreach (var input in DependsOn)
        {
            var resource = await Pulumi.Utilities.OutputUtilities.GetValueAsync((Output<Resource>)input);
            names.Add($"{resource.GetResourceType()} {resource.GetResourceName()}");
        }
        return names;
    }
}

/// <summary>A platform stack run under mocks: its resources, what each was sent and the options it was registered with.</summary>
public sealed record PlatformRun(ImmutableArray<Resource> Resources, IReadOnlyList<RegisteredInputs> Inputs, IReadOnlyList<RegisteredOptions> Options)
{
    public IEnumerable<RegisteredInputs> OfType(string type) => Inputs.Where(i => i.Type == type);

    public RegisteredInputs Single(string type, string name) => Inputs.Single(i => i.Type == type && i.Name == name);

    public RegisteredOptions OptionsOf(string type, string name) => Options.Single(o => o.Type == type && o.Name == name);

    /// <summary>The resources one resource explicitly depends on, as "type::name".</summary>
    public async Task<IReadOnlyList<string>> DependenciesOf(string type, string name) =>
        (await Pulumi.Utilities.OutputUtilities.GetValueAsync(OptionsOf(type, name).DependsOn.ToOutput()))
            .Select(r => $"{r.GetResourceType()}::{r.GetResourceName()}").ToList();

    public PlatformStack Stack => Resources.OfType<PlatformStack>().Single();

    public FoundationProgram.FoundationStack Foundation => Resources.OfType<FoundationProgram.FoundationStack>().Single();

    /// <summary>Both programs' runs as one (the foundation's, then the platform's): what Azure holds after both ups.</summary>
    public PlatformRun Plus(PlatformRun other) => new([.. Resources, .. other.Resources], [.. Inputs, .. other.Inputs], [.. Options, .. other.Options]);
}

/// <summary>Runs <see cref="PlatformStack"/> as <c>pulumi up</c> would, against mocks, with a stack file resolved as Pulumi resolves it.</summary>
public static class PlatformHarness
{
    private static readonly ConcurrentBag<RegisteredOptions> Observed = [];

    public static Task<PlatformRun> RunShipped(string stack) =>
        Run(stack, File.ReadAllText(PlatformWorkspace.Open(RepositoryRoot.FullPath).StackFilePath(stack)));

    /// <param name="mocks">The engine mocks: by default, every StackReference to a foundation answers as the shipped one recorded.</param>
    internal static async Task<PlatformRun> Run(string stack, string yaml, PlatformMocks? mocks = null)
    {
        var (config, problem) = PlatformWorkspace.Open(RepositoryRoot.FullPath).Project.ReadStackText(stack, yaml);
        Observed.Clear();
        mocks ??= new PlatformMocks();
        var resources = await MockedDeployment.RunAsync<ObservedPlatformStack>(
            EngineConfig.From(config ?? throw new InvalidOperationException(problem!.ToString())), mocks, PlatformWorkspace.Namespace);
        return new PlatformRun(resources, mocks.Registrations.ToList(), Observed.ToList());
    }

    /// <summary>The foundation of <paramref name="stack"/>, then the platform, each against mocks; the platform reads the foundation's recorded outputs.</summary>
    public static async Task<PlatformRun> RunShippedFleet(string stack) => (await FoundationHarness.RunShipped(stack)).Plus(await RunShipped(stack));

    private sealed class ObservedPlatformStack() : PlatformStack(Observing());

    /// <summary>Records every resource's options as registered.</summary>
    public static StackOptions Observing() => new()
    {
        ResourceTransformations =
        {
            args =>
            {
                Observed.Add(new RegisteredOptions(args.Resource.GetResourceType(), args.Resource.GetResourceName(),
                    args.Options.Protect ?? false, args.Options.RetainOnDelete ?? false, args.Options.DependsOn, [.. args.Options.IgnoreChanges],
                    (args.Options as CustomResourceOptions)?.DeleteBeforeReplace ?? false));
                return null;
            },
        },
    };

    /// <summary>The options recorded since the last <see cref="Reset"/>.</summary>
    public static IReadOnlyList<RegisteredOptions> ObservedOptions() => Observed.ToList();

    public static void Reset() => Observed.Clear();
}
