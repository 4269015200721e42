using OS2BorgerPC.Deploy.PlatformProgram;
using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Pulumi;
using Pulumi.Azure.Core;
using Pulumi.Azure.Storage;
using Pulumi.Azure.Storage.Inputs;

namespace OS2BorgerPC.Deploy.FoundationProgram.Components;

/// <summary>
/// The off-site backup target: a storage account in its own resource group (deleting the platform's group never
/// reaches it), geo-zone-redundant, locked, versioned and soft-deleted. Each tenant program adds its own container.
/// <para>
/// No WORM policy: restic deletes its lock files on every run and its prune deletes packs, CloudNativePG's retention
/// deletes old base backups and WAL; a time-based immutability policy refuses every such delete, so backups would
/// fail. The protection instead: a tenant's identity may write and delete current blobs in its own container only
/// (Storage Blob Data Contributor), never a previous version (that takes deleteBlobVersion, an Owner data action);
/// whatever it deletes or overwrites becomes a previous version, which the lifecycle rule below removes once it is
/// <see cref="AzurePlatform.BackupDeleteRetentionDays"/> old, and then stays soft-deleted as long again: recoverable for at
/// least that many days after the delete, and only the account's control plane can remove it sooner.
/// </para>
/// </summary>
public sealed class BackupStorage : ComponentResource
{
    public BackupStorage(PlatformSettings platform, ComponentResourceOptions? options = null)
        : base("os2borgerpc:foundation:BackupStorage", platform.Name, options)
    {
        var azure = platform.Azure!;
        var names = platform.Names;
        var group = new ResourceGroup("backup", new ResourceGroupArgs
        {
            Name = names.BackupResourceGroup,
            Location = azure.Location,
            Tags = AzureTags.For(names),
        }, Protection.Options(this));
        var account = SecureStorage.Account("backup", names.BackupStorageAccount, group.Name, azure.Location, "GZRS", azure.BackupDeleteRetentionDays, names, this);
        // Previous versions would otherwise be kept forever: every pruned pack and expired base backup, at full price.
        new ManagementPolicy("backup-versions", new ManagementPolicyArgs
        {
            StorageAccountId = account.Id,
            Rules = new ManagementPolicyRuleArgs
            {
                Name = "expire-previous-versions",
                Enabled = true,
                Filters = new ManagementPolicyRuleFiltersArgs { BlobTypes = { "blockBlob" } },
                Actions = new ManagementPolicyRuleActionsArgs
                {
                    Version = new ManagementPolicyRuleActionsVersionArgs { DeleteAfterDaysSinceCreation = azure.BackupDeleteRetentionDays },
                },
            },
        }, new CustomResourceOptions { Parent = this });
        SecureStorage.DeleteLock("group-lock", group.Id, "The municipalities' off-site backups.", this);
        SecureStorage.DeleteLock("account-lock", account.Id, "The municipalities' off-site backups.", this);
        AccountId = account.Id;
        RegisterOutputs(new Dictionary<string, object?> { ["accountId"] = AccountId });
    }

    public Output<string> AccountId { get; }
}
