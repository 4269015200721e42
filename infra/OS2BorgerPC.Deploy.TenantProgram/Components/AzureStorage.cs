using OS2BorgerPC.Deploy.TenantProgram.Contracts;
using OS2BorgerPC.Deploy.TenantProgram.Azure;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using Pulumi;
using Pulumi.Azure.Storage;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// Storage of an <c>azure</c> tenant: its own storage account (HTTPS only, TLS 1.2, no public blobs, locked
/// against deletion) with an Azure Files share for /media and one for backups, mounted into pods by the Azure
/// Files CSI driver with the account's key from a Secret in the tenant's namespace. The account's firewall
/// denies every network but the cluster's node subnets (service endpoint), trusted Azure services included: the
/// key is of no use outside the cluster. The key stays because the driver mounts SMB shares with it; identity-based
/// SMB mounts need the account's SMB OAuth setting, which this provider version cannot set (docs/SECURITY.md).
/// </summary>
public sealed class AzureStorage : ComponentResource
{
    public AzureStorage(TenantScope scope, Input<string> resourceGroup, ComponentResourceOptions? options = null)
        : base("os2borgerpc:azure:AzureStorage", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var azure = tenant.Azure ?? throw new InvalidOperationException($"Tenant {tenant.Slug} has no azure settings.");

        var account = new Account("account", new AccountArgs
        {
            Name = tenant.Names.StorageAccount,
            ResourceGroupName = resourceGroup,
            Location = azure.Location,
            AccountKind = "StorageV2",
            AccountTier = "Standard",
            AccountReplicationType = AzureSettings.StorageReplication,
            HttpsTrafficOnlyEnabled = true,
            MinTlsVersion = "TLS1_2",
            AllowNestedItemsToBePublic = false,
            // Public endpoint on, but only for the networks below: a service endpoint needs it, a private endpoint would not.
            PublicNetworkAccessEnabled = true,
            NetworkRules = new Pulumi.Azure.Storage.Inputs.AccountNetworkRulesArgs
            {
                DefaultAction = StorageNetwork.DefaultAction,
                Bypasses = [.. StorageNetwork.Bypasses],
                VirtualNetworkSubnetIds = [.. StorageNetwork.Subnets(azure)],
            },
            // The SMB mount needs the key (see above); the portal and tools use Entra ID by default.
            SharedAccessKeyEnabled = true,
            DefaultToOauthAuthentication = true,
            LocalUserEnabled = false,
            CrossTenantReplicationEnabled = false,
            Tags = AzureData.Tags(tenant),
        }, DataProtection.Options(this));
        Account = account;

        AzureData.DeleteLock("account-lock", account.Id, tenant, this);

        var media = Share("media", tenant.Names.MediaShare, tenant.Size.MediaStorageGiB, account);
        var backups = Share("backups", tenant.Names.BackupShare, tenant.Size.BackupStorageGiB, account);

        // The CSI driver reads the account's name and key from this Secret (its documented key names).
        var credentials = new Pulumi.Kubernetes.Core.V1.Secret("azure-files", new SecretArgs
        {
            Metadata = scope.Meta(TenantStorage.AzureFilesSecret),
            Type = "Opaque",
            StringData =
            {
                { "azurestorageaccountname", account.Name },
                { "azurestorageaccountkey", Output.CreateSecret(account.PrimaryAccessKey) },
            },
        }, new CustomResourceOptions { Parent = this });
        var secretName = credentials.Metadata.Apply(m => m.Name);

        Volumes = new TenantVolumes(
            volume => Mount(volume, secretName, media.Name),
            [media, backups, credentials]);

        RegisterOutputs(new Dictionary<string, object?> { ["account"] = account.Name, ["mediaShare"] = media.Name, ["backupShare"] = backups.Name });
    }

    public Account Account { get; }

    public TenantVolumes Volumes { get; }

    private Share Share(string name, string shareName, int quotaGiB, Account account) =>
        new(name, new ShareArgs { Name = shareName, StorageAccountId = account.Id, Quota = quotaGiB }, DataProtection.Options(this));

    /// <summary>An inline CSI volume (allowed under <c>restricted</c>), mounted as <see cref="TenantStorage.AzureFilesMountOptions"/> says.</summary>
    private static VolumeArgs Mount(string volume, Output<string> secretName, Output<string> shareName) => new()
    {
        Name = volume,
        Csi = new CSIVolumeSourceArgs
        {
            Driver = TenantStorage.AzureFilesCsiDriver,
            VolumeAttributes =
            {
                { "secretName", secretName },
                { "shareName", shareName },
                { "mountOptions", TenantStorage.AzureFilesMountOptions },
            },
        },
    };
}
