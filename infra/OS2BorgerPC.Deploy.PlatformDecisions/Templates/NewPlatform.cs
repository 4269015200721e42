using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Templates;

/// <summary>What an operator says about a new platform stack; the rest is the kit's defaults, written as comments.</summary>
public sealed record NewPlatform
{
    public const string TemplateName = "platform-stack.yaml.scriban";

    public required string Name { get; init; }
    public string Flavour { get; init; } = "azure";
    public string BaseDomain { get; init; } = "borgerpc.dk";
    public string IssuerEmail { get; init; } = "drift@borgerpc.dk";
    public string Location { get; init; } = "westeurope";
    public string GithubRepository { get; init; } = "os2borgerpc/os2borgerpc-deploy";

    /// <summary>The operators' Entra ID group (azure); none given: the stack file is refused until it names one.</summary>
    public string OperatorGroupObjectId { get; init; } = "";
    public string Context { get; init; } = "";
    public string DataProvisioner { get; init; } = "";
    public string SharedProvisioner { get; init; } = "";
    public string BackupEndpoint { get; init; } = "";
    public string BackupBucket { get; init; } = "os2borgerpc-backups";

    /// <summary>The API server's endpoint addresses (cluster flavour), as pods reach it.</summary>
    public IReadOnlyList<string> ApiServerCidrs { get; init; } = [];

    public int ApiServerPort { get; init; } = 6443;

    /// <summary>The complete, commented platform stack file (templates/platform-stack.yaml.scriban).</summary>
    public string RenderStackFile() => TemplateRenderer.Render(TemplateName, this);
}
