using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests.Support;

/// <summary>
/// What the CloudNativePG operator (not run here) makes for a Cluster, so that its share of the namespace's quotas is
/// taken as on a cluster: the ServiceAccount named after the cluster (from <c>serviceAccountTemplate</c>), a claim
/// per instance, and the pods, each as CNPG 1.27 builds them (pkg/specs/pods.go, jobs.go, containers.go): the
/// <c>bootstrap-controller</c> init container and one container, both at the Cluster's <c>resources</c>, the
/// postgres user (26), <c>RuntimeDefault</c> seccomp, every capability dropped, no deadline (quota scope
/// NotTerminating). Everything made is labelled <see cref="Label"/>, so it can be removed again.
/// </summary>
public sealed class CloudNativePgStandIns(ClusterApi api, string ns)
{
    public const string Label = "os2borgerpc.test/stand-in";
    private const long PostgresUser = 26;

    private readonly List<(string Kind, string Name)> made = [];

    /// <summary>The pods made so far.</summary>
    public int Pods => made.Count(m => m.Kind == "Pod");

    /// <summary>The cluster's ServiceAccount, and a claim and a pod for each of its instances; what the API server refused.</summary>
    public async Task<IReadOnlyList<Refusal>> Instances(JsonObject cluster)
    {
        var name = (string)cluster["metadata"]!["name"]!;
        var spec = cluster["spec"]!.AsObject();
        var refusals = new List<Refusal>();
        var account = Metadata(name, spec["serviceAccountTemplate"]?["metadata"]?.AsObject());
        await Add(refusals, "ServiceAccount", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = account });
        for (var serial = 1; serial <= (int)spec["instances"]!; serial++)
        {
            var instance = $"{name}-{serial}";
            await Add(refusals, "PersistentVolumeClaim", Claim(instance, spec["storage"]!.AsObject()));
            await Add(refusals, "Pod", Pod(instance, name, spec, "postgres"));
        }
        return refusals;
    }

    /// <summary>The pod of a CNPG job of the cluster's first instance (e.g. <c>full-recovery</c>), on that instance's claim.</summary>
    public async Task<IReadOnlyList<Refusal>> Job(JsonObject cluster, string role)
    {
        var name = (string)cluster["metadata"]!["name"]!;
        var refusals = new List<Refusal>();
        await Add(refusals, "Pod", Pod($"{name}-1-{role}", name, cluster["spec"]!.AsObject(), role));
        return refusals;
    }

    /// <summary>Deletes everything made, pods first.</summary>
    public async Task Remove()
    {
        foreach (var (kind, name) in made.OrderBy(m => m.Kind == "Pod" ? 0 : 1))
        {
            await api.DeleteAsync("v1", kind, ns, name);
        }
        made.Clear();
    }

    private async Task Add(List<Refusal> refusals, string kind, JsonObject manifest)
    {
        var name = (string)manifest["metadata"]!["name"]!;
        if (await api.ApplyAsync("v1", kind, ns, name, manifest.ToJsonString(), $"{kind} {ns}/{name} (as CloudNativePG makes it)") is { } refusal)
        {
            refusals.Add(refusal);
            return;
        }
        made.Add((kind, name));
    }

    private JsonObject Metadata(string name, JsonObject? template)
    {
        var labels = template?["labels"]?.DeepClone().AsObject() ?? [];
        labels[Label] = "cloudnative-pg";
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels };
        if (template?["annotations"] is JsonObject annotations)
        {
            metadata["annotations"] = annotations.DeepClone();
        }
        return metadata;
    }

    private JsonObject Claim(string instance, JsonObject storage)
    {
        var spec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = storage["size"]!.DeepClone() } },
        };
        if (storage["storageClass"] is { } storageClass)
        {
            spec["storageClassName"] = storageClass.DeepClone();
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim", ["metadata"] = Metadata(instance, null), ["spec"] = spec };
    }

    private JsonObject Pod(string podName, string cluster, JsonObject spec, string container)
    {
        var metadata = Metadata(podName, spec["inheritedMetadata"]?.AsObject());
        metadata["labels"]!["cnpg.io/cluster"] = cluster;
        var containerSecurity = new JsonObject
        {
            ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
            ["privileged"] = false,
            ["runAsNonRoot"] = true,
            ["readOnlyRootFilesystem"] = true,
            ["allowPrivilegeEscalation"] = false,
            ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
        };
        JsonObject Container(string name, string image) => new()
        {
            ["name"] = name,
            ["image"] = image,
            ["resources"] = spec["resources"]?.DeepClone() ?? new JsonObject(),
            ["securityContext"] = containerSecurity.DeepClone(),
        };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["serviceAccountName"] = cluster,
                ["restartPolicy"] = container == "postgres" ? "Always" : "Never",
                ["securityContext"] = new JsonObject
                {
                    ["runAsNonRoot"] = true,
                    ["runAsUser"] = PostgresUser,
                    ["runAsGroup"] = PostgresUser,
                    ["fsGroup"] = PostgresUser,
                    ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
                },
                ["initContainers"] = new JsonArray(Container("bootstrap-controller", $"ghcr.io/cloudnative-pg/cloudnative-pg:{CloudNativePg.OperatorVersion}")),
                ["containers"] = new JsonArray(Container(container, (string)spec["imageName"]!)),
            },
        };
    }
}
