using System.Collections.Immutable;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>
/// How the azure flavour's cluster is signed in to: Entra ID only (AKS-managed Entra integration with Azure RBAC for
/// Kubernetes, local accounts disabled), so no stack output, state or workflow ever holds a static credential; and,
/// optionally, which addresses may reach the public API server at all.
/// </summary>
public static class ClusterAccess
{
    /// <summary><c>azure.operatorGroupObjectId</c>: the operators' Entra ID group.</summary>
    public const string OperatorGroupKey = "operatorGroupObjectId";

    /// <summary><c>azure.kubernetes.localAccounts</c>: refused when true (the kit always disables them).</summary>
    public const string LocalAccountsKey = "localAccounts";

    /// <summary><c>azure.kubernetes.apiServerAuthorizedRanges</c>: the API server's authorized IP ranges.</summary>
    public const string AuthorizedRangesKey = "apiServerAuthorizedRanges";

    /// <summary>AKS takes at most 200 authorized IP ranges (learn.microsoft.com, AKS "api-server-authorized-ip-ranges").</summary>
    public const int MaxAuthorizedRanges = 200;

    /// <summary>
    /// The API server's authorized ranges: none stays none (a public API server, Entra ID sign-in only); otherwise the
    /// operator's ranges plus the cluster's own egress addresses, through which its pods (CloudNativePG's instance
    /// manager, cert-manager) reach the public API server from behind the NAT gateway.
    /// </summary>
    public static ImmutableArray<string> AuthorizedRanges(ImmutableArray<string> configured, IEnumerable<string> egressIps) =>
        configured.IsDefaultOrEmpty ? [] : [.. configured.Concat(egressIps.Select(ip => $"{ip}/32")).Distinct(StringComparer.Ordinal)];
}
