using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.Cli.Status;

/// <summary>
/// Lists what <c>fleet status</c> needs of each cluster through the Kubernetes API, in-process: one list per kind
/// per kubeconfig context, across namespaces, whatever the number of tenants. The kubeconfig is found as kubectl
/// finds it (<c>KUBECONFIG</c>, else <c>~/.kube/config</c>), exec plugins (kubelogin) included. A cluster that does
/// not answer, a sign-in that fails, or a kind the cluster does not serve, becomes unknown facts with the reason,
/// never an exception.
/// </summary>
/// <param name="kubeconfig">The value of <c>KUBECONFIG</c>, or null for <c>~/.kube/config</c>.</param>
public sealed class ClusterLists(string? kubeconfig)
{
    /// <summary>How long one list may take, as kubectl's <c>--request-timeout</c> did.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Every object of a tenant carries its tenant label: the program's objects and pod templates, the Jobs of its
    /// CronJobs (the API gives a Job without labels its pod template's: kubernetes pkg/apis/batch/v1/defaults.go,
    /// SetDefaults_Job) and CloudNativePG's pods (the Cluster's inheritedMetadata).
    /// </summary>
    public const string TenantSelector = TenantNames.TenantLabel;

    /// <summary>Each context's lists (the key is the context, "" for the current one), read at the same time.</summary>
    public async Task<IReadOnlyDictionary<string, ClusterInventory>> ReadAllAsync(IEnumerable<string?> contexts)
    {
        var reads = contexts.Select(c => c ?? "").Distinct(StringComparer.Ordinal).ToDictionary(c => c, c => ReadAsync(c.Length == 0 ? null : c), StringComparer.Ordinal);
        await Task.WhenAll(reads.Values);
        return reads.ToDictionary(r => r.Key, r => r.Value.Result, StringComparer.Ordinal);
    }

    /// <summary>
    /// One context's lists: the Deployments first (a cluster that does not answer is asked once), then the other
    /// kinds at the same time.
    /// </summary>
    public async Task<ClusterInventory> ReadAsync(string? context)
    {
        var cluster = context is null ? "the current kubeconfig context" : $"context {context}";
        var (configuration, problem) = Configuration(context);
        if (configuration is null)
        {
            return ClusterInventory.Unreachable(problem);
        }
        using var client = new Kubernetes(configuration);
        var deployments = await List(cluster, "deployments.apps", async () =>
            ClusterInventory.ByNamespace((await client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: TenantSelector)).Items));
        if (!deployments.IsKnown)
        {
            return ClusterInventory.Unreachable(deployments.Why!);
        }
        var pods = List(cluster, "pods", async () =>
            ClusterInventory.ByNamespace((await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: TenantSelector)).Items));
        var jobs = List(cluster, "jobs.batch", async () =>
            ClusterInventory.ByNamespace((await client.BatchV1.ListJobForAllNamespacesAsync(labelSelector: TenantSelector)).Items));
        var certificates = Custom<CertificateResource>(client, cluster, "cert-manager.io", "certificates", TenantSelector);
        var cnpgClusters = Custom<CnpgClusterResource>(client, cluster, "postgresql.cnpg.io", "clusters", TenantSelector);
        // CloudNativePG makes a ScheduledBackup's Backups with no label of ours (cloudnative-pg
        // api/v1/scheduledbackup_funcs.go, CreateBackup): every Backup is listed, and picked by namespace.
        var cnpgBackups = Custom<CnpgBackupResource>(client, cluster, "postgresql.cnpg.io", "backups", labelSelector: null);
        return new ClusterInventory(deployments, await pods, await jobs, await certificates, await cnpgClusters, await cnpgBackups);
    }

    private static Task<Observed<ILookup<string, T>>> Custom<T>(Kubernetes client, string cluster, string group, string plural, string? labelSelector)
        where T : IMetadata<V1ObjectMeta> =>
        List(cluster, $"{plural}.{group}", async () => ClusterInventory.ByNamespace(
            (await client.CustomObjects.ListClusterCustomObjectAsync<CustomResourceList<T>>(group, "v1", plural, labelSelector: labelSelector)).Items));

    /// <summary>One list call, its failure in words.</summary>
    private static async Task<Observed<ILookup<string, T>>> List<T>(string cluster, string resource, Func<Task<Observed<ILookup<string, T>>>> list)
    {
        try
        {
            return await list();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return Observed<ILookup<string, T>>.Unknown($"the cluster ({cluster}) has no resource type {resource} (is its CRD installed?)");
        }
        catch (HttpOperationException e)
        {
            return Observed<ILookup<string, T>>.Unknown($"the cluster ({cluster}) refused to list {resource}: {(int)e.Response.StatusCode} {StatusMessage(e.Response.Content)}".TrimEnd());
        }
        catch (Exception e) when (e is HttpRequestException or KubernetesClientException or IOException)
        {
            return Observed<ILookup<string, T>>.Unknown($"the cluster ({cluster}) did not answer: {e.Message}");
        }
        catch (KubeConfigException e)
        {
            // The kubeconfig's exec plugin (kubelogin) runs when the first request is signed.
            return Observed<ILookup<string, T>>.Unknown($"the cluster ({cluster}) could not be signed in to: {FirstLine(e.Message)}");
        }
        catch (TaskCanceledException)
        {
            return Observed<ILookup<string, T>>.Unknown($"the cluster ({cluster}) did not answer within {RequestTimeout.TotalSeconds:0} s");
        }
        catch (JsonException e)
        {
            return Observed<ILookup<string, T>>.Unknown($"the cluster's ({cluster}) list of {resource} is not the expected JSON: {e.Message}");
        }
    }

    /// <summary>The files of <c>KUBECONFIG</c> that exist (kubectl skips the others), else <c>~/.kube/config</c> if it exists.</summary>
    private IReadOnlyList<FileInfo> Files() =>
        (kubeconfig is { Length: > 0 } list
            ? list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [KubernetesClientConfiguration.KubeConfigDefaultLocation])
        .Select(path => new FileInfo(path)).Where(file => file.Exists).ToList();

    /// <summary>A client's configuration for the context, or why there is none: no kubeconfig, or one that does not name the context (or its cluster).</summary>
    private (KubernetesClientConfiguration? Configuration, string Problem) Configuration(string? context)
    {
        var files = Files();
        if (files.Count == 0)
        {
            return (null, kubeconfig is { Length: > 0 }
                ? $"no kubeconfig: none of the files in KUBECONFIG ({kubeconfig}) exists"
                : $"no kubeconfig: {KubernetesClientConfiguration.KubeConfigDefaultLocation} does not exist (az aks get-credentials, or set KUBECONFIG)");
        }
        try
        {
            // The first file that names the context (or, for the current context, sets one) answers for it. The
            // library merges KUBECONFIG's files only for its default context (internal LoadKubeConfig(FileInfo[])
            // in kubernetes-client/csharp KubernetesClientConfiguration.ConfigFile.cs): a context whose user sits in
            // another file is not found here, as it would be by kubectl.
            var configs = files.Select(file => KubernetesClientConfiguration.LoadKubeConfig(file)).ToList();
            var config = configs.FirstOrDefault(c => context is null ? !string.IsNullOrEmpty(c.CurrentContext) : c.Contexts?.Any(x => x.Name == context) == true) ?? configs[0];
            var configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
            configuration.HttpClientTimeout = RequestTimeout;
            return (configuration, "");
        }
        catch (Exception e) when (e is KubeConfigException or YamlDotNet.Core.YamlException or IOException)
        {
            return (null, $"kubeconfig ({string.Join(Path.PathSeparator, files.Select(f => f.FullName))}): {FirstLine(e.Message)}");
        }
    }

    /// <summary>A message's first line: the client puts a whole exception (stack trace included) into some.</summary>
    private static string FirstLine(string message) => message.Trim().Split('\n')[0].Trim();

    /// <summary>The message of a Kubernetes Status answer, or its first line.</summary>
    private static string StatusMessage(string? content)
    {
        try
        {
            if (content is not { Length: > 0 })
            {
                return "";
            }
            using var status = JsonDocument.Parse(content);
            return status.RootElement.ValueKind == JsonValueKind.Object && status.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return FirstLine(content ?? "");
        }
    }
}
