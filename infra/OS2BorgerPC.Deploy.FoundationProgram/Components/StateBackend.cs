using OS2BorgerPC.Deploy.PlatformProgram;
using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using Pulumi;
using Pulumi.Azure.Authorization;
using Pulumi.Azure.Core;
using Pulumi.Azure.KeyVault;

namespace OS2BorgerPC.Deploy.FoundationProgram.Components;

/// <summary>
/// Where every stack of the fleet keeps its state and how its secrets are encrypted: a storage account (blob
/// versioning and soft delete, no anonymous access, Entra ID sign-in only) with the state container, and a Key Vault
/// (purge protection, RBAC) with the key of the <c>azurekeyvault://</c> secrets provider. Protected and locked:
/// losing either loses the fleet's history or every secret in it.
/// </summary>
public sealed class StateBackend : ComponentResource
{
    public const int SoftDeleteDays = 30;

    public StateBackend(PlatformSettings platform, ResourceGroup group, Output<GetClientConfigResult> client, ComponentResourceOptions? options = null)
        : base("os2borgerpc:foundation:StateBackend", platform.Name, options)
    {
        var azure = platform.Azure!;
        var names = platform.Names;
        var child = new CustomResourceOptions { Parent = this };
        var account = SecureStorage.Account("state", names.StateStorageAccount, group.Name, azure.Location, "ZRS", SoftDeleteDays, names, this);
        var container = SecureStorage.Container("state", names.StateContainer, account, this);

        var vault = new KeyVault("secrets", new KeyVaultArgs
        {
            Name = names.KeyVault,
            ResourceGroupName = group.Name,
            Location = azure.Location,
            TenantId = client.Apply(c => c.TenantId),
            SkuName = "standard",
            PurgeProtectionEnabled = true,
            SoftDeleteRetentionDays = 90,
            RbacAuthorizationEnabled = true,
            Tags = AzureTags.For(names),
        }, Protection.Options(this));
        // The operators create the key (whoever runs the foundation stack is one of them): their group, named in the
        // stack file, holds the vault's crypto officer role, so the assignment does not change with who runs 'up'.
        var officer = new Assignment("secrets-officer", new AssignmentArgs
        {
            Scope = vault.Id,
            RoleDefinitionName = "Key Vault Crypto Officer",
            PrincipalId = azure.OperatorGroupObjectId,
            PrincipalType = "Group",
        }, child);
        // The officer role must reach the data plane before the key is made (RbacPropagation).
        var officerReady = LocalScript.Run("secrets-officer-ready", RbacPropagation.KeyVaultScript(names.KeyVault), [names.KeyVault],
            new CustomResourceOptions { Parent = this, DependsOn = { officer, vault } });
        var key = new Key("secrets", new KeyArgs
        {
            Name = names.StateKey,
            KeyVaultId = vault.Id,
            KeyType = "RSA",
            KeySize = 3072,
            KeyOpts = { "encrypt", "decrypt", "wrapKey", "unwrapKey" },
        }, new CustomResourceOptions { Parent = this, Protect = true, RetainOnDelete = true, DependsOn = { officerReady } });

        // Shared keys are off: pulumi login azblob:// and stack import need a data role on the state container (From zero).
        var operatorsRole = new AssignmentArgs
        {
            Scope = container.Id,
            RoleDefinitionName = RbacPropagation.StateBlobRole,
            PrincipalId = azure.OperatorGroupObjectId,
            PrincipalType = "Group",
            Description = "The platform's operators read and write every stack's state (pulumi login azblob://).",
        };
        var operators = new Assignment("state-operators", operatorsRole, child);
        // pulumi up ends only when that role reaches the data plane: the next step, pulumi login, must not meet a 403.
        LocalScript.Run("state-operators-ready", RbacPropagation.StateContainerScript(names.StateStorageAccount, names.StateContainer),
            [names.StateStorageAccount, names.StateContainer, azure.OperatorGroupObjectId],
            new CustomResourceOptions { Parent = this, DependsOn = { operators } });

        SecureStorage.DeleteLock("state-lock", account.Id, "Every OS2BorgerPC stack's state depends on this.", this);
        SecureStorage.DeleteLock("secrets-lock", vault.Id, "Every OS2BorgerPC stack's secrets depend on this key.", this);

        AccountId = account.Id;
        ContainerId = container.Id;
        // A role assignment's scope is an ARM ID: resource_versionless_id (/subscriptions/.../vaults/<vault>/keys/<name>),
        // not versionless_id, the https://<vault>.vault.azure.net/keys/<name> URL (azurerm v4.80.0
        // internal/services/keyvault/key_vault_key_resource.go).
        KeyId = key.ResourceVersionlessId;
        BackendUrl = Output.Format($"azblob://{container.Name}?storage_account={account.Name}");
        SecretsProvider = Output.Format($"azurekeyvault://{vault.Name}.vault.azure.net/keys/{key.Name}");
        RegisterOutputs(new Dictionary<string, object?> { ["backendUrl"] = BackendUrl, ["secretsProvider"] = SecretsProvider });
    }

    public Output<string> AccountId { get; }
    public Output<string> ContainerId { get; }
    public Output<string> KeyId { get; }
    public Output<string> BackendUrl { get; }
    public Output<string> SecretsProvider { get; }
}
