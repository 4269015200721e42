using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>
/// A one-off Job that reads the tenant's off-site repository with exactly the backup's access (its ServiceAccount,
/// workload identity or credentials, repository and password, network labels): the backup CronJob's own job
/// template with the dump step left out and the upload container running one read-only restic command. The
/// operator's machine never holds the credentials.
/// </summary>
public static class BackupQuery
{
    public const string ListJobPrefix = "backups-list-";

    /// <summary>The Job manifest (JSON, for kubectl apply) from <c>kubectl get cronjob backup -o json</c>.</summary>
    /// <param name="uploadContainer">The CronJob's container that reaches the repository.</param>
    public static string ListJob(string cronJobJson, string jobName, string uploadContainer)
    {
        var cronJob = JsonNode.Parse(cronJobJson) ?? throw new InvalidOperationException("kubectl printed no CronJob.");
        var template = cronJob["spec"]?["jobTemplate"]?.DeepClone().AsObject()
            ?? throw new InvalidOperationException($"The CronJob {TenantObjects.Backup} has no job template.");
        var spec = template["spec"]!.AsObject();
        var pod = spec["template"]!["spec"]!.AsObject();
        pod.Remove("initContainers");
        var upload = pod["containers"]!.AsArray().Select(c => c!.AsObject()).FirstOrDefault(c => (string?)c["name"] == uploadContainer)
            ?? throw new InvalidOperationException($"The CronJob {TenantObjects.Backup} has no container '{uploadContainer}': is the tenant on this version of the kit?");
        pod["containers"] = new JsonArray(upload.DeepClone());
        pod["containers"]![0]!["command"] = new JsonArray("restic", "snapshots", "--json", "--no-lock");
        // Listing must not wait out a full backup's deadline.
        spec["activeDeadlineSeconds"] = ListDeadlineSeconds;
        pod["activeDeadlineSeconds"] = ListDeadlineSeconds;
        spec["backoffLimit"] = 0;
        template.Remove("spec");
        var metadata = template["metadata"]?.DeepClone().AsObject() ?? [];
        metadata["name"] = jobName;
        metadata["namespace"] = cronJob["metadata"]?["namespace"]?.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = metadata,
            ["spec"] = spec,
        }.ToJsonString();
    }

    public const int ListDeadlineSeconds = 600;
}
