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

    /// <summary>Nodes added beyond a pool's count while it upgrades (AKS max surge), as a share of the pool.</summary>
    public const int MaxSurgePercent = 33;

    public static string MaxSurge => $"{MaxSurgePercent}%";

    /// <summary>Azure CNI overlay carves a /24 out of the pod range for every node (AKS docs, "Azure CNI Overlay networking").</summary>
    public const int OverlayPrefixPerNode = 24;

    /// <summary>Azure keeps five addresses of every subnet (network, gateway, two DNS, broadcast).</summary>
    public const int SubnetReservedAddresses = 5;

    /// <summary>The most nodes the pools reach together: each at its maxCount, plus its upgrade surge.</summary>
    public static int PeakNodes(int systemMax, int userMax) => WithSurge(systemMax) + WithSurge(userMax);

    private static int WithSurge(int max) => max + (int)Math.Ceiling(max * MaxSurgePercent / 100.0);

    /// <summary>
    /// The NAT gateway is a <c>Standard</c> one: a zonal resource, "no zone or a single zone" (azurerm v4.80.0
    /// nat_gateway_resource.go and website/docs/r/nat_gateway.html.markdown). One subnet takes one NAT gateway, so one
    /// gateway per zone is not possible for the single cluster subnet. The kit pins it, and its public addresses, to
    /// <see cref="EgressZone"/> instead of letting Azure pick: the zone is known, and it is the zone of every tenant's
    /// database primary (<c>AzureSettings.DatabaseZone</c>). Stated availability: if zone 1 fails, nodes in zones 2 and
    /// 3 keep serving inbound traffic, but the whole cluster loses outbound connections (image pulls, ACME, anything
    /// behind the allow-listed addresses) until the zone returns. The zone-redundant <c>StandardV2</c> SKU needs
    /// StandardV2 public addresses and cannot be reached from Standard in place (sku_name and zones are ForceNew): a
    /// new platform would be needed to move to it.
    /// </summary>
    public const string NatGatewaySku = "Standard";

    public const string EgressZone = "1";
}
