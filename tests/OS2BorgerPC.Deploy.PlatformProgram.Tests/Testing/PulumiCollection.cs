// Pulumi's test deployment is process-global: every Pulumi test runs in one collection, one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace OS2BorgerPC.Deploy.PlatformProgram.Tests.Testing;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PulumiCollection
{
    public const string Name = "Pulumi";
}
