using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using Scriban.Runtime;

namespace OS2BorgerPC.Deploy.TenantDecisions.Templates;

/// <summary>
/// What an operator says about a new tenant. Everything left null falls back to the fleet defaults
/// in Pulumi.yaml, so the stack file states only what is particular to the tenant.
/// </summary>
public sealed record NewTenant
{
    /// <summary>The stack file template in templates/; only the CLI renders it, the Pulumi program never reads it.</summary>
    public const string TemplateName = "tenant-stack.yaml.scriban";

    /// <summary>Private address space: a closed default until the municipality's own networks are filled in.</summary>
    public static readonly IReadOnlyList<string> PrivateNetworks = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

    public required string Slug { get; init; }
    public required string DisplayName { get; init; }
    public IReadOnlyList<int> MunicipalityCodes { get; init; } = [];
    public string? Host { get; init; }
    public string Hosting { get; init; } = "kubernetes";
    public string Size { get; init; } = "small";
    public string Ring { get; init; } = "broad";
    public string? Version { get; init; }
    public string? AdminEmail { get; init; }
    public IReadOnlyList<string> ClientSourceRanges { get; init; } = PrivateNetworks;
    public string? AzureLocation { get; init; }
    public IReadOnlyList<string> ClusterEgressRanges { get; init; } = [];
    public string? DelegatedSubnetId { get; init; }
    public string? PrivateDnsZoneId { get; init; }
    public IReadOnlyList<string> ClusterSubnetIds { get; init; } = [];
    public string? ClusterOidcIssuerUrl { get; init; }

    /// <summary>A municipality's own tenant, named after it.</summary>
    public static NewTenant For(Municipality municipality) => new()
    {
        Slug = municipality.Slug,
        DisplayName = municipality.OfficialName,
        MunicipalityCodes = [municipality.Code],
    };

    /// <summary>The complete, commented stack file (templates/tenant-stack.yaml.scriban).</summary>
    public string RenderStackFile()
    {
        var functions = new ScriptObject();
        functions.Import("municipality_name", new Func<int, string>(code => MunicipalityRegister.Find(code)?.Name ?? "unknown code"));
        return TemplateRenderer.Render(TemplateName, this, functions);
    }
}
