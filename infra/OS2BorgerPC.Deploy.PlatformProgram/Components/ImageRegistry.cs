using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using Pulumi;
using Pulumi.Azure.Authorization;
using Pulumi.Azure.ContainerService;
using Pulumi.Azure.Core;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>
/// The registry the cluster pulls every image the kit runs through (azure): one artifact-cache rule per source
/// repository (<see cref="ImageMirror.KitRepositories"/>), so Docker Hub and ghcr.io see the registry once per image
/// instead of every node through the NAT addresses (Docker Hub's anonymous limit is per address). The nodes' kubelet
/// identity may pull (AcrPull on the registry); no admin user, no anonymous pull: Entra ID only, like the storage accounts.
/// </summary>
public sealed class ImageRegistry : ComponentResource
{
    /// <summary>
    /// Artifact cache runs on Basic, Standard and Premium (Microsoft Learn, container-registry/artifact-cache-overview);
    /// anonymous pull exists from Standard on (azurerm v4.80.0 container_registry_resource.go), and is kept off. Standard
    /// for its storage and throughput; a network rule set would take Premium, so the registry has a public endpoint that
    /// answers Entra ID sign-ins only.
    /// </summary>
    public const string Sku = "Standard";

    public const string PullRole = "AcrPull";

    public ImageRegistry(PlatformSettings platform, PlatformGroup group, AksCluster cluster, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:ImageRegistry", platform.Name, options)
    {
        var child = new CustomResourceOptions { Parent = this };
        var registry = new Registry("registry", new RegistryArgs
        {
            Name = platform.Names.ContainerRegistry,
            ResourceGroupName = group.Name,
            Location = platform.Azure!.Location,
            Sku = Sku,
            AdminEnabled = false,
            AnonymousPullEnabled = false,
            Tags = AzureTags.For(platform.Names),
        }, child);
        foreach (var rule in ImageMirror.RulesFor(ImageMirror.KitRepositories))
        {
            new RegistryCacheRule(rule.Name, new RegistryCacheRuleArgs
            {
                Name = rule.Name,
                ContainerRegistryId = registry.Id,
                SourceRepo = rule.SourceRepo,
                TargetRepo = rule.TargetRepo,
            }, child);
        }
        new Assignment("kubelet-pull", new AssignmentArgs
        {
            Scope = registry.Id,
            RoleDefinitionName = PullRole,
            PrincipalId = cluster.KubeletObjectId,
            PrincipalType = "ServicePrincipal",
        }, child);
        LoginServer = registry.LoginServer;
        RegisterOutputs(new Dictionary<string, object?> { ["loginServer"] = LoginServer });
    }

    /// <summary>The registry's host name (&lt;name&gt;.azurecr.io): the prefix of every image tenants pull.</summary>
    public Output<string> LoginServer { get; }
}
