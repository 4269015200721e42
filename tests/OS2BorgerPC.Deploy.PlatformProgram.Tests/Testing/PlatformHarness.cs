using System.Collections.Concurrent;
using System.Collections.Immutable;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using Pulumi;

namespace OS2BorgerPC.Deploy.PlatformProgram.Tests.Testing;

public sealed record RegisteredOptions(string Type, string Name, bool Protect, bool RetainOnDelete, InputList<Resource> DependsOn, IReadOnlyList<string> IgnoreChanges)
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
}

/// <summary>Runs <see cref="PlatformStack"/> as <c>pulumi up</c> would, against mocks, with a stack file resolved as Pulumi resolves it.</summary>
public static class PlatformHarness
{
    private static readonly ConcurrentBag<RegisteredOptions> Observed = [];

    public static Task<PlatformRun> RunShipped(string stack) =>
        Run(stack, File.ReadAllText(PlatformWorkspace.Open(RepositoryRoot.FullPath).StackFilePath(stack)));

    public static async Task<PlatformRun> Run(string stack, string yaml)
    {
        var (config, problem) = PlatformWorkspace.Open(RepositoryRoot.FullPath).Project.ReadStackText(stack, yaml);
        Observed.Clear();
        var mocks = new PlatformMocks();
        var resources = await MockedDeployment.RunAsync<ObservedPlatformStack>(
            EngineConfig.From(config ?? throw new InvalidOperationException(problem!.ToString())), mocks, PlatformWorkspace.Namespace);
        return new PlatformRun(resources, mocks.Registrations.ToList(), Observed.ToList());
    }

    private sealed class ObservedPlatformStack() : PlatformStack(new StackOptions
    {
        ResourceTransformations =
        {
            args =>
            {
                Observed.Add(new RegisteredOptions(args.Resource.GetResourceType(), args.Resource.GetResourceName(),
                    args.Options.Protect ?? false, args.Options.RetainOnDelete ?? false, args.Options.DependsOn, [.. args.Options.IgnoreChanges]));
                return null;
            },
        },
    });
}
