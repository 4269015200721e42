using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>
/// What <c>fleet status</c> reads from a tenant's namespace, from <c>kubectl get ... -o json</c>: the running
/// admin-site version, the pods' readiness, the last successful backups, the certificate's expiry.
/// </summary>
public static class ClusterFacts
{
    /// <summary>The version tag of the admin-site image the Deployment runs.</summary>
    public static Observed<string> RunningVersion(string deploymentJson)
    {
        var deployment = KubernetesJson.Deserialize<V1Deployment>(deploymentJson);
        var image = deployment.Spec?.Template?.Spec?.Containers?
            .Select(c => c.Image)
            .FirstOrDefault(i => i?.StartsWith(AdminSiteRelease.ImageRepository + ":", StringComparison.Ordinal) == true);
        return image is null
            ? Observed<string>.Unknown($"the Deployment runs no {AdminSiteRelease.ImageRepository} image")
            : Observed<string>.Known(image[(AdminSiteRelease.ImageRepository.Length + 1)..].Split('@')[0]);
    }

    /// <summary>Pods that should be running (not the finished pods of Jobs), and how many are ready.</summary>
    public static PodReadiness Pods(string podListJson)
    {
        var pods = (KubernetesJson.Deserialize<V1PodList>(podListJson).Items ?? [])
            .Where(p => p.Status?.Phase is not ("Succeeded" or "Failed"))
            .ToList();
        var ready = pods.Count(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        return new PodReadiness(ready, pods.Count);
    }

    /// <summary>When the newest Job of one of <paramref name="cronJobs"/> succeeded, or null when none has.</summary>
    public static DateTimeOffset? LastSucceededJob(string jobListJson, IReadOnlyCollection<string> cronJobs) =>
        (KubernetesJson.Deserialize<V1JobList>(jobListJson).Items ?? [])
            .Where(job => job.Metadata?.OwnerReferences?.Any(o => o.Kind == "CronJob" && cronJobs.Contains(o.Name)) == true)
            .Where(job => job.Status?.Succeeded > 0 && job.Status.CompletionTime is not null)
            .Select(job => (DateTimeOffset?)new DateTimeOffset(DateTime.SpecifyKind(job.Status.CompletionTime!.Value, DateTimeKind.Utc)))
            .Max();

    /// <summary>When the newest CloudNativePG Backup (<c>backups.postgresql.cnpg.io</c>) completed, or null when none has.</summary>
    public static DateTimeOffset? LastCompletedCnpgBackup(string backupListJson) =>
        Items(backupListJson)
            .Where(b => (string?)b?["status"]?["phase"] == "completed")
            .Select(b => Time(b?["status"]?["stoppedAt"]))
            .Max();

    /// <summary>The earliest <c>status.notAfter</c> of the cert-manager Certificates, or null when there is none with one.</summary>
    public static DateTimeOffset? CertificateNotAfter(string certificateListJson) =>
        Items(certificateListJson).Select(c => Time(c?["status"]?["notAfter"])).Where(t => t is not null).Min();

    private static IEnumerable<JsonNode?> Items(string listJson) =>
        JsonNode.Parse(listJson)?["items"]?.AsArray() ?? throw new JsonException("not a Kubernetes list (no items)");

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
