using OS2BorgerPC.Deploy.TenantProgram.Azure;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// A drill target's read access to its source's backups (backup.drillFrom, Azure Blob), for as long as its stack names
/// the source: an identity of its own in the drill tenant's group (not locked), federated only with a ServiceAccount
/// that only the drill's restore Jobs run as (<see cref="OffSiteBackup.DrillServiceAccount"/>, RestoreJob.ServiceAccountOf),
/// and Storage Blob Data Reader on the source's container. The revoke (an up without drillFrom) deletes the identity, its
/// credential and the ServiceAccount, so no new token can be had (one issued before lives until it expires: Entra access
/// tokens cannot be revoked, and the role still names their principal); the role, under the locked backup account,
/// is retained (<see cref="BackupAccountAccess.BackupAccountRole"/>) and stays behind naming a deleted principal. A later
/// drill makes a new identity, a new principal, so its role never collides with the one left behind.
/// The drill tenant's backup identity keeps its own container only (<see cref="AzureBackupIdentity"/>).
/// </summary>
public sealed class AzureDrillReader : ComponentResource
{
    /// <param name="source">The tenant whose backups the drill reads (backup.drillFrom).</param>
    /// <param name="resourceGroup">Where the identity lives: the drill tenant's own group.</param>
    public AzureDrillReader(TenantScope scope, string source, Input<string> resourceGroup, ComponentResourceOptions? options = null)
        : base("os2borgerpc:azure:AzureDrillReader", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var network = scope.Platform.Azure ?? throw new InvalidOperationException("A drill from an azureBlob backup target needs the platform's azure facts (OIDC issuer).");
        var accountId = scope.Platform.Backup.AzureStorageAccountId
            ?? throw new InvalidOperationException("An azureBlob backup target without azureStorageAccountId: the platform facts are incomplete.");
        // Not retained: deleting the identity is what stops the drill's access (no new token for it).
        var identity = BackupAccountAccess.Identity("drill", OffSiteBackup.DrillReaderIdentityName(tenant, source), tenant, network, resourceGroup,
            [OffSiteBackup.DrillServiceAccount], new CustomResourceOptions { Parent = this });
        BackupAccountAccess.BackupAccountRole("drill-reader", OffSiteBackup.ContainerId(accountId, source), AzureBackupIdentity.StorageBlobDataReader, identity, this);

        var metadata = scope.Meta(OffSiteBackup.DrillServiceAccount, Workloads.Backup);
        metadata.Annotations = new InputMap<string> { { AzureBackupIdentity.ClientIdAnnotation, identity.ClientId } };
        new ServiceAccount("drill-service-account", new ServiceAccountArgs
        {
            Metadata = metadata,
            // The restore talks to no Kubernetes API; the workload identity webhook mounts its own token.
            AutomountServiceAccountToken = false,
        }, new CustomResourceOptions { Parent = this });

        RegisterOutputs(new Dictionary<string, object?> { ["source"] = source, ["identity"] = identity.Name });
    }
}
