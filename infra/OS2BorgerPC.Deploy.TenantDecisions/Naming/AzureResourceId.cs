namespace OS2BorgerPC.Deploy.TenantDecisions.Naming;

/// <summary>The parts of an Azure subnet's resource ID, as the network look-ups take them.</summary>
public sealed record AzureSubnetId(string SubscriptionId, string ResourceGroup, string VirtualNetwork, string Subnet)
{
    /// <summary>Parses /subscriptions/&lt;id&gt;/resourceGroups/&lt;rg&gt;/providers/Microsoft.Network/virtualNetworks/&lt;vnet&gt;/subnets/&lt;subnet&gt;.</summary>
    public static AzureSubnetId Parse(string id)
    {
        var parts = id.Trim('/').Split('/');
        if (parts.Length != 10 || !parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase)
            || !parts[6].Equals("virtualNetworks", StringComparison.OrdinalIgnoreCase)
            || !parts[8].Equals("subnets", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{id}' is not a subnet resource ID.");
        }
        return new AzureSubnetId(parts[1], parts[3], parts[7], parts[9]);
    }
}
