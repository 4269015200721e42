namespace OS2BorgerPC.Deploy.TenantDecisions.Rendering;

/// <summary>
/// The order a set of objects applies in on a fresh cluster with one <c>kubectl apply</c>: what an object needs
/// exists before it. kubectl applies a folder's files in file-name order and a stream's documents in turn, and
/// stops at nothing: an object whose namespace does not exist yet is refused. So each object has a stage, and a
/// rendered file name begins with it.
/// </summary>
public static class ApplyOrder
{
    /// <summary>Everything not named in <see cref="Stages"/>: custom resources (Gateway API routes and policies,
    /// cert-manager Certificates, CloudNativePG Clusters ...), whose CRDs the platform installs, and which refer to
    /// the Services, Secrets and workloads before them.</summary>
    public const int Last = 7;

    /// <summary>The stage of each built-in kind (group, kind); the core group is "".</summary>
    private static readonly Dictionary<(string Group, string Kind), int> Stages = new()
    {
        // The namespace holds everything else.
        [("", "Namespace")] = 0,
        // Cluster-scoped built-ins that namespaced objects name.
        [("apiextensions.k8s.io", "CustomResourceDefinition")] = 1,
        [("rbac.authorization.k8s.io", "ClusterRole")] = 1,
        [("rbac.authorization.k8s.io", "ClusterRoleBinding")] = 1,
        [("scheduling.k8s.io", "PriorityClass")] = 1,
        [("storage.k8s.io", "StorageClass")] = 1,
        [("networking.k8s.io", "IngressClass")] = 1,
        [("", "PersistentVolume")] = 1,
        // Quota and limits admit every later object of the namespace (counts, storage, pods' requests): first.
        [("", "ResourceQuota")] = 2,
        [("", "LimitRange")] = 2,
        // What pods mount and run as.
        [("", "ServiceAccount")] = 3,
        [("", "Secret")] = 3,
        [("", "ConfigMap")] = 3,
        [("", "PersistentVolumeClaim")] = 3,
        // Policies: in place before the pods they govern start.
        [("networking.k8s.io", "NetworkPolicy")] = 4,
        [("policy", "PodDisruptionBudget")] = 4,
        [("rbac.authorization.k8s.io", "Role")] = 4,
        [("rbac.authorization.k8s.io", "RoleBinding")] = 4,
        [("", "Service")] = 5,
        // Workloads, whose pods need all of the above.
        [("apps", "Deployment")] = 6,
        [("apps", "StatefulSet")] = 6,
        [("apps", "DaemonSet")] = 6,
        [("apps", "ReplicaSet")] = 6,
        [("", "Pod")] = 6,
        [("batch", "Job")] = 6,
        [("batch", "CronJob")] = 6,
        [("autoscaling", "HorizontalPodAutoscaler")] = 6,
    };

    /// <summary>The object's stage: 0 (the namespace) to <see cref="Last"/>.</summary>
    public static int Stage(KubernetesManifest manifest) =>
        Stages.TryGetValue((manifest.Group, manifest.Kind), out var stage) ? stage : Last;

    /// <summary>The objects by stage; within a stage as given (a stable sort).</summary>
    public static IReadOnlyList<KubernetesManifest> Sort(IEnumerable<KubernetesManifest> manifests) =>
        [.. manifests.OrderBy(Stage)];
}
