using OS2BorgerPC.Deploy.Platform.Azure;
using OS2BorgerPC.Deploy.Platforms.Model;
using Pulumi;
using Pulumi.Azure.Core;
using Pulumi.Azure.Storage;

namespace OS2BorgerPC.Deploy.Platform.Components;

/// <summary>
/// The off-site backup target: a storage account in its own resource group (deleting the platform's group never
/// reaches it), geo-zone-redundant, versioned, soft-deleted, locked, and a container whose blobs cannot be changed or
/// deleted for the immutability period (a time-based retention policy, left unlocked: locking it is irreversible and
/// done by hand once restores are proven, README "From zero").
/// </summary>
public sealed class BackupStorage : ComponentResource
{
    public BackupStorage(PlatformSettings platform, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:BackupStorage", platform.Name, options)
    {
        var azure = platform.Azure!;
        var names = platform.Names;
        var group = new ResourceGroup("backup", new ResourceGroupArgs
        {
            Name = names.BackupResourceGroup,
            Location = azure.Location,
            Tags = AzureTags.For(names),
        }, Protection.Options(this));
        var account = SecureStorage.Account("backup", names.BackupStorageAccount, group.Name, azure.Location, "GZRS", azure.BackupImmutabilityDays, names, this);
        var container = SecureStorage.Container("backups", names.BackupContainer, account, this);
        new ContainerImmutabilityPolicy("backups", new ContainerImmutabilityPolicyArgs
        {
            StorageContainerResourceManagerId = container.Id,
            ImmutabilityPeriodInDays = azure.BackupImmutabilityDays,
            // New blobs may still be appended to (WAL archives); nothing written can be changed or deleted.
            ProtectedAppendWritesEnabled = true,
            Locked = false,
        }, Protection.Options(this));
        SecureStorage.DeleteLock("group-lock", group.Id, "The municipalities' off-site backups.", this);
        SecureStorage.DeleteLock("account-lock", account.Id, "The municipalities' off-site backups.", this);
        AccountId = account.Id;
        RegisterOutputs(new Dictionary<string, object?> { ["accountId"] = AccountId });
    }

    public Output<string> AccountId { get; }
}
