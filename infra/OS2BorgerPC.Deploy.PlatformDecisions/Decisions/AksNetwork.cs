namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>
/// How the AKS cluster is networked: Azure CNI in overlay mode (pods get addresses outside the VNet, so the
/// VNet stays small and PostgreSQL's delegated subnet is reachable from every pod), with Cilium as dataplane
/// and NetworkPolicy engine (the tenants' isolation policies are enforced in eBPF), and egress through the NAT
/// gateway (stable addresses the managed servers' firewalls and the municipalities can allow-list).
/// </summary>
public static class AksNetwork
{
    public const string Plugin = "azure";
    public const string PluginMode = "overlay";
    public const string DataPlane = "cilium";
    public const string Policy = "cilium";
    public const string OutboundType = "userAssignedNATGateway";
    public const string PostgresDelegation = "Microsoft.DBforPostgreSQL/flexibleServers";
    public const string PostgresPrivateDnsZone = "privatelink.postgres.database.azure.com";
    public const string NodeOsUpgradeChannel = "NodeImage";
}
