using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformProgram;
using Pulumi;
using Pulumi.Azure.Core;

namespace OS2BorgerPC.Deploy.FoundationProgram.Components;

/// <summary>
/// Each tenant's resource group (<c>rg-os2borgerpc-&lt;slug&gt;</c>), one per tenant whose stack file names this platform:
/// its managed server, storage account and identities live there. The foundation makes it, so the identity that runs the
/// tenants' <c>up</c> needs no right on the subscription (which holds the state and backup accounts): its Contributor and
/// lock role stop at these groups (CiIdentities). Protected and retained: deleting a group deletes every database in it.
/// </summary>
public sealed class TenantResourceGroups : ComponentResource
{
    public TenantResourceGroups(PlatformSettings platform, IReadOnlyList<PlatformTenant> tenants, ComponentResourceOptions? options = null)
        : base("os2borgerpc:foundation:TenantResourceGroups", platform.Name, options)
    {
        var azure = platform.Azure!;
        Ids = tenants.ToDictionary(t => t.Slug, tenant =>
        {
            // The group's name and location force a new group (azurerm v4.80.0 resource_group_resource.go): both are what the
            // tenant program used when it made the group itself, so an existing tenant's group is imported, never replaced.
            return new ResourceGroup($"tenant-{tenant.Slug}", new ResourceGroupArgs
            {
                Name = tenant.ResourceGroup,
                Location = tenant.Location ?? azure.Location,
                Tags = tenant.Labels.ToDictionary(),
            }, Protection.Options(this)).Id;
        });
        RegisterOutputs(new Dictionary<string, object?> { ["ids"] = Output.All(Ids.Values) });
    }

    /// <summary>Each tenant's group's ARM ID, by slug: where the tenants' deploying identity may write.</summary>
    public IReadOnlyDictionary<string, Output<string>> Ids { get; }
}
