using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests.Support;

/// <summary>A platform stack file built in code: a valid platform, then the change a test is about (JSON, which is YAML).</summary>
internal sealed class PlatformStackFile
{
    public const string Stack = "test";
    public const string DisplayPath = "stacks/platform/Pulumi.test.yaml";
    public const string Key = "os2borgerpc-platform:platform";

    private readonly JsonObject _platform;

    private PlatformStackFile(string json) => _platform = JsonNode.Parse(json)!.AsObject();

    public static PlatformStackFile Azure() => new("""
        {"flavour": "azure", "baseDomain": "borgerpc.dk", "issuerEmail": "drift@borgerpc.dk",
         "azure": {"location": "westeurope", "githubRepository": "os2borgerpc/os2borgerpc-deploy",
                   "operatorGroupObjectId": "3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f"}}
        """);

    public static PlatformStackFile Cluster() => new("""
        {"flavour": "cluster", "baseDomain": "borgerpc.test", "issuerEmail": "drift@borgerpc.test",
         "cluster": {"context": "fleet", "storage": {"data": {"provisioner": "rbd.csi.ceph.com"}, "shared": {"provisioner": "cephfs.csi.ceph.com", "parameters": {"fsName": "media"}}},
                     "backup": {"endpoint": "https://s3.example.dk", "bucket": "os2borgerpc-backups"},
                     "apiServer": {"cidrs": ["10.20.0.10/32"], "port": 6443}}}
        """);

    /// <param name="path">Keys below the platform object, dotted: <c>azure.network.podCidr</c>.</param>
    /// <param name="json">The value as JSON; null removes the key.</param>
    public PlatformStackFile Set(string path, string? json)
    {
        var keys = path.Split('.');
        var parent = _platform;
        foreach (var key in keys[..^1])
        {
            parent = parent[key] as JsonObject ?? (JsonObject)(parent[key] = new JsonObject());
        }
        if (json is null)
        {
            parent.Remove(keys[^1]);
        }
        else
        {
            parent[keys[^1]] = JsonNode.Parse(json);
        }
        return this;
    }

    public string Text => new JsonObject { ["config"] = new JsonObject { [Key] = _platform.DeepClone() } }.ToJsonString();

    public PlatformLoadResult Load() => Load(Text);

    public static PlatformLoadResult Load(string yaml) =>
        PlatformLoader.Load(PlatformWorkspace.Open(RepositoryRoot.FullPath).Project.ReadStackText(Stack, yaml));
}

internal static class PlatformAssertions
{
    public static Model.PlatformSettings ShouldBeValid(this PlatformLoadResult result)
    {
        result.Problems.ShouldBeEmpty(string.Join("\n", result.Problems));
        return result.Platform.ShouldNotBeNull();
    }

    public static void ShouldReport(this PlatformLoadResult result, string key, string says)
    {
        result.Platform.ShouldBeNull();
        result.Problems.ShouldContain(p => p.File == PlatformStackFile.DisplayPath && p.Key == key && $"{p.Message} {p.Fix}".Contains(says),
            $"expected {key}: ...{says}..., got:\n{string.Join("\n", result.Problems)}");
    }

    public static string Describe(IEnumerable<Problem> problems) => string.Join("\n", problems);
}
