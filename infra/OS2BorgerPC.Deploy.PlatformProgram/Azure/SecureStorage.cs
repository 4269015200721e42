using OS2BorgerPC.Deploy.PlatformDecisions.Naming;
using Pulumi;
using Pulumi.Azure.Storage;
using Pulumi.Azure.Storage.Inputs;
using AzureLock = Pulumi.Azure.Management.Lock;
using AzureLockArgs = Pulumi.Azure.Management.LockArgs;

namespace OS2BorgerPC.Deploy.PlatformProgram.Azure;

/// <summary>The platform's storage accounts and locks: one shape for the state and the backup target.</summary>
public static class SecureStorage
{
    /// <summary>
    /// A protected StorageV2 account: blob versioning and soft delete for <paramref name="retentionDays"/>, no
    /// anonymous access, no shared keys (Entra ID sign-in only), TLS 1.2, infrastructure encryption.
    /// </summary>
    public static Account Account(string name, string accountName, Input<string> group, string location, string replication,
        int retentionDays, PlatformNames names, Resource parent) => new(name, new AccountArgs
        {
            Name = accountName,
            ResourceGroupName = group,
            Location = location,
            AccountKind = "StorageV2",
            AccountTier = "Standard",
            AccountReplicationType = replication,
            MinTlsVersion = "TLS1_2",
            AllowNestedItemsToBePublic = false,
            SharedAccessKeyEnabled = false,
            DefaultToOauthAuthentication = true,
            InfrastructureEncryptionEnabled = true,
            BlobProperties = new AccountBlobPropertiesArgs
            {
                VersioningEnabled = true,
                DeleteRetentionPolicy = new AccountBlobPropertiesDeleteRetentionPolicyArgs { Days = retentionDays },
                ContainerDeleteRetentionPolicy = new AccountBlobPropertiesContainerDeleteRetentionPolicyArgs { Days = retentionDays },
            },
            Tags = AzureTags.For(names),
        }, Protection.Options(parent));

    /// <summary>A private container, protected.</summary>
    public static Container Container(string name, string containerName, Account account, Resource parent) => new(name, new ContainerArgs
    {
        Name = containerName,
        StorageAccountId = account.Id,
        ContainerAccessType = "private",
    }, Protection.Options(parent));

    /// <summary>A CanNotDelete lock: deleting the resource takes removing the lock first, by hand.</summary>
    public static AzureLock DeleteLock(string name, Input<string> scope, string notes, Resource parent) => new(name, new AzureLockArgs
    {
        Name = "os2borgerpc-do-not-delete",
        Scope = scope,
        LockLevel = "CanNotDelete",
        Notes = notes,
    }, new CustomResourceOptions { Parent = parent });
}
