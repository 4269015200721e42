using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Networking.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Contracts;

/// <summary>
/// What the admin site (and the backup job) need from a database, wherever it runs: in the cluster or
/// as a managed server. The password is never here, only the Secret key that holds it.
/// </summary>
/// <param name="Host">Host name the app connects to.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Name">Database name.</param>
/// <param name="User">Login that owns the database.</param>
/// <param name="Password">Where the login's password is, in the tenant namespace.</param>
/// <param name="Peer">The database as a NetworkPolicy egress peer, so pods may reach it and nothing else on its port.</param>
/// <param name="Ready">Resolves when the database exists, so the app starts after it.</param>
/// <param name="Ca">The root certificate the app and the jobs verify the database's certificate against (verify-full).</param>
/// <param name="Pods">The database's pods, where they run in the tenant's namespace: the NetworkPolicies admit the
/// admin site and the backup into them. Null for a database outside the namespace (a managed server).</param>
public sealed record DatabaseConnection(
    Output<string> Host,
    int Port,
    string Name,
    string User,
    SecretKey Password,
    NetworkPolicyPeerArgs Peer,
    Resource Ready,
    OS2BorgerPC.Deploy.TenantDecisions.Security.DatabaseCa Ca)
{
    /// <summary>
    /// The labels of the database's own pods in the tenant namespace (all of them select every instance, e.g.
    /// <c>app.kubernetes.io/name: postgres</c>, which a point-in-time recovery cluster carries too), for NetworkPolicies that admit the app and the backup into them and let
    /// them out (CNPG instances reach the API server, each other and the off-site store); null where the database
    /// is not a pod of the tenant (azure hosting: a managed server).
    /// </summary>
    public IReadOnlyDictionary<string, string>? PodLabels { get; init; }
}

/// <summary>A key in a Kubernetes Secret of the tenant namespace.</summary>
public sealed record SecretKey(Output<string> SecretName, string Key);
