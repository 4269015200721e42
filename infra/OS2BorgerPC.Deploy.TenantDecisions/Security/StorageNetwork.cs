using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>
/// Who reaches an azure tenant's storage account over the network: the cluster's node subnets through the
/// Microsoft.Storage service endpoint, nobody else. Chosen over a private endpoint: no per-tenant endpoint
/// (98 of them, each billed) or private DNS zone to run, and the CSI driver's SMB mounts come from the nodes
/// anyway; the price is that the account keeps a public endpoint, answering only those subnets.
/// </summary>
public static class StorageNetwork
{
    /// <summary>The service endpoint a cluster subnet needs before a storage account's network rule can name it.</summary>
    public const string ServiceEndpoint = "Microsoft.Storage";

    /// <summary>Anything not listed is refused.</summary>
    public const string DefaultAction = "Deny";

    /// <summary>
    /// No exception for "trusted Azure services", logging or metrics: nothing the kit runs needs one (shares are
    /// created through Azure Resource Manager, which the account's firewall does not govern).
    /// </summary>
    public static readonly IReadOnlyList<string> Bypasses = ["None"];

    /// <summary>The networks admitted; never empty (the loader refuses an azure tenant without them).</summary>
    public static IReadOnlyList<string> Subnets(AzureSettings azure) =>
        azure.ClusterSubnetIds.IsDefaultOrEmpty
            ? throw new InvalidOperationException("An azure tenant without clusterSubnetIds: its storage account would be open to every network.")
            : azure.ClusterSubnetIds;
}
