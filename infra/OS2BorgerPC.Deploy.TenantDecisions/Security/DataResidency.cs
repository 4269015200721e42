namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>
/// Where a municipality's data may live: Azure regions in the EU/EEA, unless a named approval says otherwise.
/// The regions are Microsoft's "Azure geographies" list (azure.microsoft.com/explore/global-infrastructure/geographies)
/// of public regions located in EU/EEA member states and offering availability zones (the kit spreads the cluster over
/// zones 1-3 and pins each server's zone); restricted-access regions are left out.
/// </summary>
public static class DataResidency
{
    /// <summary>The key (under <c>azure</c>) that admits another region: the reference of a documented approval.</summary>
    public const string OverrideKey = "outsideEeaApproval";

    public static readonly IReadOnlyList<string> EeaRegions =
    [
        "westeurope", "northeurope", "swedencentral", "germanywestcentral", "francecentral", "norwayeast",
        "italynorth", "polandcentral", "spaincentral",
    ];

    /// <summary>Whether data may live in <paramref name="location"/>: an EU/EEA region, or any region with an approval named.</summary>
    public static bool Allows(string location, string? approval) =>
        EeaRegions.Contains(location) || !string.IsNullOrWhiteSpace(approval);

    public static string Problem(string location) => $"'{location}' is outside the EU/EEA regions ({string.Join(", ", EeaRegions)}).";

    public static string Fix =>
        $"Use an EU/EEA region such as westeurope; only with a written approval (e.g. the data protection officer's) set azure.{OverrideKey} to its reference.";
}
