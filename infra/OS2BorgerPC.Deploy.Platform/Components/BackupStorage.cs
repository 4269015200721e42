using OS2BorgerPC.Deploy.Platform.Azure;
using OS2BorgerPC.Deploy.Platforms.Model;
using Pulumi;
using Pulumi.Azure.Core;
using Pulumi.Azure.Storage;
using Pulumi.Azure.Storage.Inputs;
using AzureLock = Pulumi.Azure.Management.Lock;
using AzureLockArgs = Pulumi.Azure.Management.LockArgs;

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
        var child = new CustomResourceOptions { Parent = this };
        var group = new ResourceGroup("backup", new ResourceGroupArgs
        {
            Name = names.BackupResourceGroup,
            Location = azure.Location,
            Tags = AzureTags.For(names),
        }, Protection.Options(this));
        var account = new Account("backup", new AccountArgs
        {
            Name = names.BackupStorageAccount,
            ResourceGroupName = group.Name,
            Location = azure.Location,
            AccountKind = "StorageV2",
            AccountTier = "Standard",
            AccountReplicationType = "GZRS",
            MinTlsVersion = "TLS1_2",
            AllowNestedItemsToBePublic = false,
            SharedAccessKeyEnabled = false,
            DefaultToOauthAuthentication = true,
            InfrastructureEncryptionEnabled = true,
            BlobProperties = new AccountBlobPropertiesArgs
            {
                VersioningEnabled = true,
                DeleteRetentionPolicy = new AccountBlobPropertiesDeleteRetentionPolicyArgs { Days = azure.BackupImmutabilityDays },
                ContainerDeleteRetentionPolicy = new AccountBlobPropertiesContainerDeleteRetentionPolicyArgs { Days = azure.BackupImmutabilityDays },
            },
            Tags = AzureTags.For(names),
        }, Protection.Options(this));
        var container = new Container("backups", new ContainerArgs
        {
            Name = names.BackupContainer,
            StorageAccountId = account.Id,
            ContainerAccessType = "private",
        }, Protection.Options(this));
        new ContainerImmutabilityPolicy("backups", new ContainerImmutabilityPolicyArgs
        {
            StorageContainerResourceManagerId = container.Id,
            ImmutabilityPeriodInDays = azure.BackupImmutabilityDays,
            // New blobs may still be appended to (WAL archives); nothing written can be changed or deleted.
            ProtectedAppendWritesEnabled = true,
            Locked = false,
        }, Protection.Options(this));
        foreach (var (name, scope) in new[] { ("group", group.Id), ("account", account.Id) })
        {
            new AzureLock($"{name}-lock", new AzureLockArgs
            {
                Name = "os2borgerpc-backups-do-not-delete",
                Scope = scope,
                LockLevel = "CanNotDelete",
                Notes = "The municipalities' off-site backups.",
            }, child);
        }
        AccountId = account.Id;
        RegisterOutputs(new Dictionary<string, object?> { ["accountId"] = AccountId });
    }

    public Output<string> AccountId { get; }
}
