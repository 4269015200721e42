using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.Testing;
using Pulumi;
using Pulumi.Random;

namespace OS2BorgerPC.Deploy.Benchmarks;

/// <summary>The baseline program: as many RandomStrings as the config asks for, nothing else.</summary>
public sealed class TrivialResourcesStack : Stack
{
    private const string Namespace = "benchmark";
    private const string CountKey = "resources";

    public TrivialResourcesStack()
    {
        var count = new Pulumi.Config(Namespace).RequireInt32(CountKey);
        for (var i = 0; i < count; i++)
        {
            new RandomString($"trivial-{i}", new RandomStringArgs { Length = 16 });
        }
    }

    public static EngineConfig Config(int resources) =>
        new("trivial", new JsonObject { [$"{Namespace}:{CountKey}"] = resources.ToString() }.ToJsonString(), "[]");
}
