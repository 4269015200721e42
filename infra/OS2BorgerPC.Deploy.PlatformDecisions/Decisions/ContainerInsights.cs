namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>
/// Container Insights with managed-identity sign-in collects only what a data collection rule associated with the
/// cluster tells it to: the <c>oms_agent</c> block alone creates neither (the Azure CLI does; a provider does not). The
/// kit makes the rule and association as Microsoft's own Terraform onboarding does (microsoft/Docker-Provider
/// scripts/onboarding/aks/onboarding-msi-terraform/main.tf): the ContainerInsights extension's default stream group
/// into the platform's Log Analytics workspace.
/// </summary>
public static class ContainerInsights
{
    public const string Stream = "Microsoft-ContainerInsights-Group-Default";

    public const string ExtensionName = "ContainerInsights";

    /// <summary>The data source's name and the association's: the agent looks for this association on the cluster.</summary>
    public const string AssociationName = "ContainerInsightsExtension";

    public const string Destination = "ciworkspace";

    /// <summary>Every minute, every namespace, ContainerLogV2 (the schema with namespace and pod per line).</summary>
    public const string ExtensionJson = """{"dataCollectionSettings":{"interval":"1m","namespaceFilteringMode":"Off","enableContainerLogV2":true}}""";

    /// <summary>The rule's name as the Azure CLI and portal name it: MSCI-&lt;region&gt;-&lt;cluster&gt;, at most 64 characters.</summary>
    public static string RuleName(string location, string cluster)
    {
        var name = $"MSCI-{location}-{cluster}";
        return name.Length <= 64 ? name : name[..64].TrimEnd('-');
    }
}
