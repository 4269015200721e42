using k8s.Models;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>
/// What a tenant's operators may do in its namespace: read the workloads, their state and events, and
/// nothing that reveals a secret. RBAC only adds, so the restriction is that the kit's Role leaves out
/// Secrets, <c>pods/log</c> (the upstream entrypoint logs the bootstrap admin password with <c>set -x</c>),
/// and exec, attach, port-forward and proxy (each reaches the secrets through a running container); and
/// every write, since a changed pod template can mount any Secret. Operators get this Role, never the
/// built-in <c>view</c>/<c>edit</c>/<c>admin</c> ClusterRoles (<c>view</c> grants <c>pods/log</c>).
/// </summary>
public static class OperatorAccess
{
    public const string RoleName = "os2borgerpc-operator";

    /// <summary>Subresources and resources that reveal a secret or a password in a log; never granted.</summary>
    public static readonly IReadOnlyList<string> Withheld =
        ["secrets", "pods/log", "pods/exec", "pods/attach", "pods/portforward", "pods/proxy", "services/proxy"];

    /// <summary>The group bound to the Role when the stack names none: one per tenant.</summary>
    public static string DefaultGroup(string slug) => $"os2borgerpc-{slug}-operators";

    public static string Group(Tenant tenant) => tenant.Cluster.OperatorGroup ?? DefaultGroup(tenant.Slug);

    public static IReadOnlyList<V1PolicyRule> Rules =>
    [
        Read("", "pods", "services", "endpoints", "persistentvolumeclaims", "configmaps", "events", "serviceaccounts"),
        Read("apps", "deployments", "statefulsets", "replicasets"),
        Read("batch", "jobs", "cronjobs"),
        Read("networking.k8s.io", "networkpolicies", "ingresses"),
        Read("policy", "poddisruptionbudgets"),
        Read("events.k8s.io", "events"),
    ];

    private static V1PolicyRule Read(string group, params string[] resources) =>
        new() { ApiGroups = [group], Resources = resources, Verbs = [.. CiIdentities.ReadVerbs] };
}
