using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests.Support;

/// <summary>
/// What <c>tenant restore --yes</c> applies in a rolled-out tenant's namespace (Cli's TenantRestore), made by the
/// same library calls from what the API server serves, as the CLI makes them from <c>kubectl get -o json</c>: the
/// recovery Cluster beside the running one for a point in time (<see cref="RecoveryCluster"/>), the scripts'
/// ConfigMap and the restore Job (<see cref="RestoreJob"/>). <see cref="CleanUp"/> removes all of it again.
/// </summary>
public sealed class RestoreOnCluster(ClusterApi api, TenantOnCluster tenant)
{
    private const string CnpgApiVersion = "postgresql.cnpg.io/v1";

    private readonly List<(string ApiVersion, string Kind, string Name)> applied = [];

    public CloudNativePgStandIns StandIns { get; } = new(api, tenant.Namespace);

    /// <summary>The running Cluster as <c>kubectl get cluster database -o json</c> prints it.</summary>
    public async Task<JsonObject> RunningCluster() =>
        JsonNode.Parse(await api.GetJsonAsync(CnpgApiVersion, "Cluster", tenant.Namespace, CloudNativePg.ClusterName))!.AsObject();

    /// <summary>The recovery Cluster as <c>tenant restore --at</c> applies it; the manifest, and the API server's refusal or null.</summary>
    public async Task<(JsonObject Manifest, Refusal? Refusal)> ApplyRecoveryCluster(DateTimeOffset at)
    {
        var manifest = JsonNode.Parse(RecoveryCluster.Manifest((await RunningCluster()).ToJsonString(), at, generation: 1))!.AsObject();
        var refusal = await Apply(CnpgApiVersion, "Cluster", RecoveryCluster.Name, manifest);
        return (manifest, refusal);
    }

    /// <summary>The recovery Cluster as the API server keeps it.</summary>
    public async Task<JsonObject> ServedRecoveryCluster() =>
        JsonNode.Parse(await api.GetJsonAsync(CnpgApiVersion, "Cluster", tenant.Namespace, RecoveryCluster.Name))!.AsObject();

    /// <summary>
    /// The database's pods while a point-in-time recovery runs beside it, as CloudNativePG makes them: the running
    /// cluster's instances, the recovery cluster's <c>full-recovery</c> job pod and its instance (with their claims).
    /// </summary>
    public async Task<IReadOnlyList<Refusal>> DatabasePodsDuringRecovery()
    {
        var recovery = await ServedRecoveryCluster();
        return [.. await StandIns.Instances(await RunningCluster()), .. await StandIns.Instances(recovery), .. await StandIns.Job(recovery, "full-recovery")];
    }

    /// <summary>
    /// The restore's scripts and its fetch Job, made from the backup CronJob the API server serves: the fetch runs beside
    /// the admin site (and, for a point in time, the recovery cluster), the load only once the admin site is stopped.
    /// </summary>
    public async Task<IReadOnlyList<Refusal>> ApplyRestoreJob(RestoreRun run)
    {
        var cronJob = await api.GetJsonAsync("batch/v1", "CronJob", tenant.Namespace, TenantObjects.Backup);
        var refusals = new List<Refusal>();
        foreach (var (kind, name, json) in new[]
        {
            ("ConfigMap", run.ScriptConfigMap, RestoreJob.ScriptConfigMap(run, tenant.Namespace)),
            ("Job", run.FetchJobName, RestoreJob.Job(cronJob, run, RestorePhase.Fetch)),
        })
        {
            if (await Apply(kind == "Job" ? "batch/v1" : "v1", kind, name, JsonNode.Parse(json)!.AsObject()) is { } refusal)
            {
                refusals.Add(refusal);
            }
        }
        return refusals;
    }

    /// <summary>Removes the stand-ins, the recovery Cluster and the ConfigMap; the Jobs and their pods go with <see cref="TenantOnCluster.DeleteJobs"/>.</summary>
    public async Task CleanUp()
    {
        await StandIns.Remove();
        foreach (var (apiVersion, kind, name) in applied.Where(a => a.Kind != "Job"))
        {
            await api.DeleteAsync(apiVersion, kind, tenant.Namespace, name);
        }
        applied.Clear();
    }

    private async Task<Refusal?> Apply(string apiVersion, string kind, string name, JsonObject manifest)
    {
        var refusal = await api.ApplyAsync(apiVersion, kind, tenant.Namespace, name, manifest.ToJsonString(), $"{kind} {tenant.Namespace}/{name}");
        if (refusal is null)
        {
            applied.Add((apiVersion, kind, name));
        }
        return refusal;
    }
}
