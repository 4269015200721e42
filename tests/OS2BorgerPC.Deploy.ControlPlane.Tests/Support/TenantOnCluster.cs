using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OS2BorgerPC.Deploy.TenantProgram;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Rendering;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests.Support;

/// <summary>What one tenant's rollout did: objects applied, pods the controllers created, and every refusal on the way.</summary>
public sealed record Rollout(string Stack, int Objects, int Pods, int ExpectedPods, TimeSpan Duration, IReadOnlyList<Refusal> Refusals)
{
    public override string ToString() =>
        $"{Stack}: {Objects} objects applied, {Pods} of {ExpectedPods} pods admitted in {Duration.TotalSeconds:F1} s"
        + (Refusals.Count == 0 ? "" : $"; refused:\n  {string.Join("\n  ", Refusals)}");
}

/// <summary>
/// One tenant's program (run against Pulumi's mocks, exactly as TenantProgram.Tests runs it) applied to the control plane,
/// then the pods its controllers create. Generic: whatever Kubernetes objects the program registers are applied,
/// and every Deployment, StatefulSet and CronJob found among them is checked.
/// </summary>
public sealed class TenantOnCluster
{
    private static readonly TimeSpan PodTimeout = TimeSpan.FromSeconds(60);

    private readonly ClusterApi api;

    private TenantOnCluster(ClusterApi api, string stack, IReadOnlyList<KubernetesManifest> manifests)
    {
        this.api = api;
        Stack = stack;
        Manifests = manifests;
    }

    public string Stack { get; }

    /// <summary>The program's Kubernetes objects, as the renderer makes them.</summary>
    public IReadOnlyList<KubernetesManifest> Manifests { get; }

    public string Namespace => Manifests.Single(m => m.Kind == "Namespace").Name;

    public IEnumerable<KubernetesManifest> OfKind(string kind) => Manifests.Where(m => m.Kind == kind);

    /// <summary>The stack's program, run against mocks.</summary>
    public static async Task<TenantOnCluster> Render(ClusterApi api, string stack, string stackFileYaml)
    {
        var mocks = new TenantMocks();
        await MockedDeployment.RunAsync<TenantStack>(EngineConfig.FromStackFile(stack, stackFileYaml), mocks);
        return new TenantOnCluster(api, stack, mocks.Manifests());
    }

    /// <summary>Every object applied in the kit's apply order (ApplyOrder: the namespace, then quota and limits, ...), then every Deployment's and StatefulSet's pods awaited.</summary>
    public async Task<Rollout> RollOut()
    {
        var clock = Stopwatch.StartNew();
        var refusals = new List<Refusal>();
        foreach (var manifest in ApplyOrder.Sort(Manifests))
        {
            if (await api.ApplyAsync(manifest) is { } refusal)
            {
                refusals.Add(refusal);
            }
            if (manifest.Kind == "ResourceQuota")
            {
                await QuotaCounted(manifest.Name);
            }
        }
        // The program's own Jobs (smoke check, Azure app role) run once during the rollout.
        var expected = WorkloadPods() + OfKind("Job").Count();
        var (pods, failures) = await PodsCreated(expected);
        refusals.AddRange(failures);
        // They have done their work: the next tests start from the workloads' pods alone.
        await DeleteJobs();
        return new Rollout(Stack, Manifests.Count, pods, expected, clock.Elapsed, refusals);
    }

    /// <summary>Pods the Deployments and StatefulSets ask for (replicas, 1 where unset).</summary>
    public int WorkloadPods() =>
        Manifests.Where(m => m.Kind is "Deployment" or "StatefulSet").Sum(Replicas);

    /// <summary>A Deployment's or StatefulSet's declared replicas (1 where unset).</summary>
    private static int Replicas(KubernetesManifest workload) => (int)(workload.Body["spec"]?["replicas"]?.GetValue<long>() ?? 1);

    /// <summary>
    /// A Job from each named CronJob's template, as <c>kubectl create job --from=cronjob/…</c> makes it (and as the
    /// pre-upgrade backup and the schedule do), all at once; then waits for their pods.
    /// </summary>
    public async Task<(int Pods, IReadOnlyList<Refusal> Refusals)> RunJobs(IReadOnlyList<string> cronJobs, string suffix)
    {
        await StartJobs(cronJobs, suffix);
        return await PodsCreated(WorkloadPods() + cronJobs.Count);
    }

    /// <summary>A Job from each named CronJob's template, named <c>&lt;cronjob&gt;-&lt;suffix&gt;</c>, without waiting for its pod.</summary>
    public async Task StartJobs(IReadOnlyList<string> cronJobs, string suffix)
    {
        foreach (var name in cronJobs)
        {
            var cronJob = await api.Client.BatchV1.ReadNamespacedCronJobAsync(name, Namespace);
            var job = new V1Job
            {
                Metadata = new V1ObjectMeta
                {
                    Name = $"{name}-{suffix}",
                    NamespaceProperty = Namespace,
                    Labels = cronJob.Spec.JobTemplate.Metadata?.Labels,
                    Annotations = new Dictionary<string, string> { ["cronjob.kubernetes.io/instantiate"] = "manual" },
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "CronJob", Name = name, Uid = cronJob.Metadata.Uid, Controller = true }],
                },
                Spec = cronJob.Spec.JobTemplate.Spec,
            };
            await api.Client.BatchV1.CreateNamespacedJobAsync(job, Namespace);
        }
    }

    /// <summary>Deletes the Jobs and their pods, and waits until only the workloads' pods are left.</summary>
    public async Task DeleteJobs()
    {
        await api.Client.BatchV1.DeleteCollectionNamespacedJobAsync(Namespace, propagationPolicy: "Background");
        await api.Client.CoreV1.DeleteCollectionNamespacedPodAsync(Namespace, labelSelector: "job-name");
        await Until(async () => (await api.Client.CoreV1.ListNamespacedPodAsync(Namespace)).Items.Count == WorkloadPods()
            && (await api.Client.BatchV1.ListNamespacedJobAsync(Namespace)).Items.Count == 0);
        // The quota controller gives the deleted pods' share back later than they go: until it has, the next test's
        // Jobs would be refused for pods that no longer exist (seen on a loaded machine).
        if (Manifests.Any(m => m.Kind == "ResourceQuota" && m.Name == TenantQuota.JobsName))
        {
            await Until(async () =>
            {
                var used = (await api.Client.CoreV1.ReadNamespacedResourceQuotaAsync(TenantQuota.JobsName, Namespace)).Status?.Used;
                return used is null || !used.TryGetValue("pods", out var pods) || pods.ToString() == "0";
            });
        }
        await api.Client.CoreV1.DeleteCollectionNamespacedEventAsync(Namespace);
    }

    /// <summary>
    /// Every Deployment at its declared replicas plus <paramref name="extra"/>: with 1, a pod being replaced (drained,
    /// evicted, deleted: still terminating) beside the replacement its ReplicaSet makes at once, which a control plane
    /// without nodes cannot keep terminating; with 0, as declared again.
    /// </summary>
    public async Task ScaleDeployments(int extra)
    {
        foreach (var deployment in OfKind("Deployment"))
        {
            var replicas = Replicas(deployment) + extra;
            var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
            await api.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), deployment.Name, Namespace);
        }
    }

    /// <summary>Starts a new rollout of every Deployment, as a changed pod template does (<c>kubectl rollout restart</c>).</summary>
    public async Task RestartDeployments()
    {
        foreach (var deployment in OfKind("Deployment"))
        {
            var patch = new JsonObject
            {
                ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject
                {
                    ["kubectl.kubernetes.io/restartedAt"] = DateTimeOffset.UtcNow.ToString("O"),
                } } } },
            };
            await api.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), deployment.Name, Namespace);
        }
    }

    /// <summary>
    /// Waits until <paramref name="expected"/> pods exist in the namespace; then the pods there, and what the
    /// controllers were refused on the way (FailedCreate events: quota, LimitRange, PodSecurity).
    /// </summary>
    public async Task<(int Pods, IReadOnlyList<Refusal> Refusals)> PodsCreated(int expected)
    {
        var clock = Stopwatch.StartNew();
        var pods = 0;
        var stable = 0;
        while (clock.Elapsed < PodTimeout)
        {
            var now = (await api.Client.CoreV1.ListNamespacedPodAsync(Namespace)).Items.Count(p => p.Metadata.DeletionTimestamp is null);
            stable = now == pods ? stable + 1 : 0;
            pods = now;
            var refused = await FailedCreates();
            // Done when every pod is there, or when the controllers have been refused and nothing changed for 3 s.
            if (pods >= expected && stable >= 2 || refused.Count > 0 && stable >= 6)
            {
                return (pods, refused);
            }
            await Task.Delay(500);
        }
        return (pods, [.. await FailedCreates(), new Refusal($"namespace {Namespace}", $"{pods} of {expected} pods after {PodTimeout.TotalSeconds} s")]);
    }

    private async Task<IReadOnlyList<Refusal>> FailedCreates() =>
        (await api.Client.CoreV1.ListNamespacedEventAsync(Namespace)).Items
            .Where(e => e is { Type: "Warning", Reason: "FailedCreate" })
            .Select(e => new Refusal($"{e.InvolvedObject.Kind} {Namespace}/{e.InvolvedObject.Name}", e.Message))
            .DistinctBy(r => r.ToString())
            .ToList();

    private async Task QuotaCounted(string name) => await Until(async () =>
        (await api.Client.CoreV1.ReadNamespacedResourceQuotaAsync(name, Namespace)).Status?.Hard?.Count > 0);

    private static async Task Until(Func<Task<bool>> done)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > PodTimeout)
            {
                throw new TimeoutException($"Not done within {PodTimeout.TotalSeconds} s.");
            }
            await Task.Delay(250);
        }
    }
}
