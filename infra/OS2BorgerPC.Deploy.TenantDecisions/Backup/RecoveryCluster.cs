using System.Globalization;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>
/// A point-in-time restore's database: CloudNativePG recovers only into a new cluster, so <c>tenant restore --at</c>
/// makes a one-instance Cluster beside the tenant's own, bootstrapped from the running cluster's base backups and
/// WAL in the object store up to the time asked (<c>bootstrap.recovery</c> with an <c>externalClusters</c> entry whose
/// <c>plugin</c> is the Barman Cloud plugin reading the running cluster's ObjectStore, plugin-barman-cloud v0.13.0
/// web/docs/usage.md "Restoring a Cluster"), made from the running Cluster's spec so that it has the same image,
/// resources, login role, labels (the NetworkPolicies') and object-store access. It archives nothing: without
/// <c>spec.plugins</c> it cannot write into the running cluster's WAL folder. The restore Job dumps it, loads
/// the dump into the tenant's own database beside its data, and the CLI deletes it.
/// A recovered cluster's pods carry the running cluster's inherited labels, which the NetworkPolicies select
/// the database by, and its ServiceAccount is federated like the running cluster's (the tenant program's TenantStack).
/// </summary>
public static class RecoveryCluster
{
    public const string Origin = "origin";

    /// <summary>
    /// One name, not one per restore: CNPG names the cluster's ServiceAccount after it, and on an Azure Blob target
    /// only a ServiceAccount the tenant's backup identity is federated with (a fixed list) can read the backups.
    /// One point-in-time restore at a time, then.
    /// </summary>
    public const string Name = CloudNativePg.RecoveryClusterName;

    /// <summary>Its read-write Service, which CNPG names after the cluster.</summary>
    public const string ReadWriteHost = $"{Name}-rw";

    /// <summary>
    /// The Cluster manifest (JSON, for kubectl apply) from <c>kubectl get cluster database -o json</c>, recovering from
    /// the archive folder of cluster generation <paramref name="generation"/> (<see cref="CloudNativePg.ServerNameOf"/>).
    /// </summary>
    public static string Manifest(string runningClusterJson, DateTimeOffset at, int generation)
    {
        var running = JsonNode.Parse(runningClusterJson)?.AsObject() ?? throw new InvalidOperationException("kubectl printed no Cluster.");
        var spec = running["spec"]?.DeepClone().AsObject() ?? throw new InvalidOperationException($"The Cluster {CloudNativePg.ClusterName} has no spec.");
        var archiver = (spec["plugins"]?.AsArray() ?? []).FirstOrDefault(p => (string?)p!["name"] == CloudNativePg.BarmanPlugin && (bool?)p!["isWALArchiver"] == true)
            ?? throw new InvalidOperationException($"The Cluster {CloudNativePg.ClusterName} archives to no object store through the Barman Cloud plugin: there is nothing to recover from.");
        var store = (string?)archiver["parameters"]?["barmanObjectName"]
            ?? throw new InvalidOperationException($"The Cluster {CloudNativePg.ClusterName} names no ObjectStore for the Barman Cloud plugin.");
        spec.Remove("plugins");
        spec["instances"] = 1;
        // One instance: without this its primary PDB would block drains of its node (CloudNativePg.PodDisruptionBudgets).
        spec["enablePDB"] = false;
        spec["bootstrap"] = new JsonObject
        {
            ["recovery"] = new JsonObject
            {
                ["source"] = Origin,
                ["recoveryTarget"] = new JsonObject { ["targetTime"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
            },
        };
        spec["externalClusters"] = new JsonArray(new JsonObject
        {
            ["name"] = Origin,
            ["plugin"] = new JsonObject
            {
                ["name"] = CloudNativePg.BarmanPlugin,
                // The folder of the generation asked: the running cluster's, or one of a cluster it replaced.
                ["parameters"] = new JsonObject { ["barmanObjectName"] = store, ["serverName"] = CloudNativePg.ServerNameOf(generation) },
            },
        });
        var labels = running["metadata"]?["labels"]?.DeepClone().AsObject() ?? [];
        labels[TenantObjects.ComponentLabel] = RestoreJob.Component;
        return new JsonObject
        {
            ["apiVersion"] = (string?)running["apiVersion"] ?? "postgresql.cnpg.io/v1",
            ["kind"] = "Cluster",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = running["metadata"]?["namespace"]?.DeepClone(), ["labels"] = labels },
            ["spec"] = spec,
        }.ToJsonString();
    }
}
