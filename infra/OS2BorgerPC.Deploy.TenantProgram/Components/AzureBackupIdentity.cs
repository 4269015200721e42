using OS2BorgerPC.Deploy.TenantProgram.Azure;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using Pulumi;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// A tenant's way into the platform's off-site backup account (azureBlob target), with no key anywhere: its own
/// container, a user-assigned identity allowed to write that container only (Storage Blob Data Contributor scoped
/// to it), and federated credentials for the Kubernetes ServiceAccounts that back up (the backup pods' and, in the
/// kubernetes hosting, the CNPG cluster's). The role lets it delete current blobs, as restic and CloudNativePG's
/// retention must, never a previous version: what a compromised tenant deletes or overwrites stays recoverable in the
/// platform's versioned account (BackupStorage says for how long). No WORM policy: it would refuse those deletes.
/// A drill target (backup.drillFrom) reads its source's container with another identity (<see cref="AzureDrillReader"/>), never this one.
/// </summary>
public sealed class AzureBackupIdentity : ComponentResource
{
    /// <summary>The pod label the Azure workload identity webhook acts on.</summary>
    public const string UseLabel = "azure.workload.identity/use";

    /// <summary>The ServiceAccount annotation naming the identity's client id.</summary>
    public const string ClientIdAnnotation = "azure.workload.identity/client-id";

    public const string StorageBlobDataContributor = "Storage Blob Data Contributor";

    public const string StorageBlobDataReader = "Storage Blob Data Reader";

    /// <param name="serviceAccounts">The tenant-namespace ServiceAccounts allowed to act as the identity.</param>
    /// <param name="resourceGroup">Where the identity lives: the tenant's foundation-made group.</param>
    public AzureBackupIdentity(TenantScope scope, PlatformFacts platform, Input<string> resourceGroup, IReadOnlyList<string> serviceAccounts,
        ComponentResourceOptions? options = null)
        : base("os2borgerpc:azure:AzureBackupIdentity", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var network = platform.Azure ?? throw new InvalidOperationException("An azureBlob backup target needs the platform's azure facts (OIDC issuer).");
        var accountId = platform.Backup.AzureStorageAccountId
            ?? throw new InvalidOperationException("An azureBlob backup target without azureStorageAccountId: the platform facts are incomplete.");
        // Moving the identity into the tenant's group (resource_group_name is ForceNew, azurerm v4.80.0 commonschema.ResourceGroupName())
        // replaces it: create the new one, update its dependents (the ServiceAccounts' client id, the CNPG cluster) in place, and only
        // forget the old one, which Azure would refuse to delete in the locked backup group (an operator removes it in a change window).
        // The tenant's group goes with the tenant at offboarding, so nothing retained outlives it.
        var retained = new CustomResourceOptions { Parent = this, RetainOnDelete = true };

        // The container holds the tenant's backups: guarded like the data.
        var container = new Pulumi.Azure.Storage.Container("backup-container", new Pulumi.Azure.Storage.ContainerArgs
        {
            Name = OffSiteBackup.ContainerName(tenant),
            StorageAccountId = accountId,
            ContainerAccessType = "private",
        }, DataProtection.Options(this));

        var identity = BackupAccountAccess.Identity("backup", $"id-{tenant.Names.Namespace}-backup", tenant, network, resourceGroup, serviceAccounts, retained);

        // Retained on delete, as every role under the locked backup account (BackupAccountAccess.BackupAccountRole): a new
        // identity or the tenant's destroy leaves this one in Azure. Its principal is then a retained identity whose
        // credentials federate only this tenant's own backup ServiceAccounts (the same access to the same container), until
        // the identity goes with the tenant's group at offboarding or with the operator's clean-up (the one moved out of
        // the backup group stays there, locked).
        BackupAccountAccess.BackupAccountRole("backup-writer", container.Id, StorageBlobDataContributor, identity, this);

        ClientId = identity.ClientId;
        RegisterOutputs(new Dictionary<string, object?> { ["clientId"] = ClientId, ["container"] = container.Name });
    }

    /// <summary>What the backup ServiceAccounts carry in <see cref="ClientIdAnnotation"/>.</summary>
    public Output<string> ClientId { get; }
}
