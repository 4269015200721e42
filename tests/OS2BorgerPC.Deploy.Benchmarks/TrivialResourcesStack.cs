using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.Testing;
using Pulumi;
using Pulumi.Random;

namespace OS2BorgerPC.Deploy.Benchmarks;

/// <summary>
/// The baseline program: as many RandomStrings as the config asks for, nothing else; optionally each with
/// a map of keepers, so the baseline can carry as many input values as the tenant's program.
/// </summary>
public sealed class TrivialResourcesStack : Stack
{
    private const string Namespace = "benchmark";
    private const string CountKey = "resources";
    private const string KeepersKey = "keepers";

    public TrivialResourcesStack()
    {
        var config = new Pulumi.Config(Namespace);
        var count = config.RequireInt32(CountKey);
        var keepers = Enumerable.Range(0, config.GetInt32(KeepersKey) ?? 0).ToDictionary(k => $"k{k}", k => $"value-{k}");
        for (var i = 0; i < count; i++)
        {
            var args = new RandomStringArgs { Length = 16 };
            if (keepers.Count > 0)
            {
                args.Keepers = keepers;
            }
            new RandomString($"trivial-{i}", args);
        }
    }

    public static EngineConfig Config(int resources, int keepersPerResource = 0) =>
        new("trivial", new JsonObject
        {
            [$"{Namespace}:{CountKey}"] = resources.ToString(),
            [$"{Namespace}:{KeepersKey}"] = keepersPerResource.ToString(),
        }.ToJsonString(), "[]");
}
