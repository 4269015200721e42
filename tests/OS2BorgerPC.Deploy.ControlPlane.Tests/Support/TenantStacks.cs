using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests.Support;

/// <summary>
/// The tenants the tier rolls out: the shipped stacks, a generated fleet (each hosting in each size tier, as
/// <c>tenant new</c> writes them, one municipality each), and one more with a certificate of its own.
/// </summary>
public static class TenantStacks
{
    public const string Kubernetes = "kubernetes";
    public const string Azure = "azure";

    /// <summary>Every stacks/Pulumi.*.yaml.</summary>
    public static TheoryData<string> Shipped => new(RepositoryRoot.Workspace().StackNames());

    /// <summary>The generated fleet.</summary>
    public static TheoryData<string> Fleet => new(Generated.Keys);

    /// <summary>The generated fleet's tenants of one hosting, one per size tier.</summary>
    public static TheoryData<string> FleetOf(string hosting) =>
        new(Generated.Where(tenant => tenant.Value.Hosting == hosting).Select(tenant => tenant.Key));

    /// <summary>A generated kubernetes tenant with its own certificate (<c>gateway.certificate: http01</c>), in a namespace of its own.</summary>
    public static string OwnCertificate => Municipalities[Generated.Count].Slug;

    /// <summary>
    /// A generated kubernetes tenant deployed before the backups claim was retired (<c>storage.retiredBackupsClaim: true</c>),
    /// in a namespace of its own.
    /// </summary>
    public static string RetiredBackupsClaim => Municipalities[Generated.Count + 1].Slug;

    public static string StackFile(string stack) =>
        stack == OwnCertificate
            ? Render(Municipalities[Generated.Count], Kubernetes, "small").Replace("    gateway: {}", "    gateway:\n      certificate: http01")
            : stack == RetiredBackupsClaim
            ? RepositoryRoot.WithRetiredBackupsClaim(Render(Municipalities[Generated.Count + 1], Kubernetes, "small"))
            : Generated.TryGetValue(stack, out var generated) ? Render(MunicipalityRegister.All.Single(m => m.Slug == stack), generated.Hosting, generated.Size)
            : RepositoryRoot.StackText(stack);

    private static readonly IReadOnlyList<Municipality> Municipalities = [.. MunicipalityRegister.All.OrderBy(m => m.Code)];

    private static readonly Dictionary<string, (string Hosting, string Size)> Generated = Municipalities
        .Zip(from hosting in new[] { Kubernetes, Azure } from size in new[] { "small", "medium", "large" } select (hosting, size))
        .ToDictionary(pair => pair.First.Slug, pair => pair.Second);

    private static string Render(Municipality municipality, string hosting, string size) => (NewTenant.For(municipality) with
    {
        Hosting = hosting,
        Size = size,
        ClusterEgressRanges = hosting == Azure ? ["20.50.1.0/28"] : [],
    }).RenderStackFile();
}
