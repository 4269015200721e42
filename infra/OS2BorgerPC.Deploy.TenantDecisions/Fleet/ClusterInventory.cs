using k8s.Models;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>
/// What <c>fleet status</c> listed of one cluster (one kubeconfig context): one list per kind across the tenants'
/// namespaces, grouped by namespace, or why that kind is not known (the cluster did not answer, the kind's CRD
/// is not installed). Each tenant's facts are picked from here (<see cref="ClusterFacts"/>). A new fact is a new
/// list here, filled by the CLI's cluster reader, and a pick in <see cref="ClusterFacts"/>.
/// </summary>
public sealed record ClusterInventory(
    Observed<ILookup<string, V1Deployment>> Deployments,
    Observed<ILookup<string, V1Pod>> Pods,
    Observed<ILookup<string, V1Job>> Jobs,
    Observed<ILookup<string, CertificateResource>> Certificates,
    Observed<ILookup<string, CnpgClusterResource>> CnpgClusters,
    Observed<ILookup<string, CnpgBackupResource>> CnpgBackups)
{
    /// <summary>A cluster that did not answer: every kind unknown, for the one reason.</summary>
    public static ClusterInventory Unreachable(string why) => new(
        Observed<ILookup<string, V1Deployment>>.Unknown(why), Observed<ILookup<string, V1Pod>>.Unknown(why),
        Observed<ILookup<string, V1Job>>.Unknown(why), Observed<ILookup<string, CertificateResource>>.Unknown(why),
        Observed<ILookup<string, CnpgClusterResource>>.Unknown(why), Observed<ILookup<string, CnpgBackupResource>>.Unknown(why));

    /// <summary>A list's items by their namespace.</summary>
    public static Observed<ILookup<string, T>> ByNamespace<T>(IEnumerable<T>? items) where T : IMetadata<V1ObjectMeta> =>
        Observed<ILookup<string, T>>.Known((items ?? []).ToLookup(item => item.Metadata?.NamespaceProperty ?? "", StringComparer.Ordinal));
}
