using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>A custom Azure role: what the foundation program defines once per subscription.</summary>
/// <param name="Actions">Control-plane (Resource Manager) actions.</param>
/// <param name="DataActions">Data actions: for AKS with Azure RBAC, the Kubernetes API requests it allows.</param>
/// <param name="NotDataActions">Data actions taken out of <paramref name="DataActions"/>' wildcards.</param>
public sealed record AzureRoleDefinition(
    string Name, string Description, IReadOnlyList<string> Actions, IReadOnlyList<string> DataActions, IReadOnlyList<string> NotDataActions)
{
    /// <summary>Every action or data action it allows that is not a read (a wildcard counts as every verb).</summary>
    public IEnumerable<string> NonReads => Actions.Concat(DataActions).Where(a => !a.EndsWith("/read", StringComparison.Ordinal));
}

/// <summary>
/// A cluster-scoped Kubernetes kind a tenant stack creates: the deploying identity may write it cluster-wide (Azure RBAC
/// for Kubernetes names it <c>Microsoft.ContainerService/managedClusters/&lt;group/&gt;&lt;plural&gt;/&lt;verb&gt;</c>).
/// </summary>
/// <param name="Group">API group ("" for the core group).</param>
/// <param name="Type">The Pulumi resource type the tenant program registers (e.g. kubernetes:core/v1:Namespace).</param>
public sealed record ClusterScopedKind(string Group, string Plural, string Type)
{
    public string DataAction(string verb) =>
        $"{CiIdentities.AksDataActionPrefix}{(Group.Length == 0 ? "" : Group + "/")}{Plural}/{verb}";
}

/// <summary>Where a CI role is granted.</summary>
public enum RoleScope
{
    /// <summary>
    /// The fleet's subscription. It holds the state and backup accounts and their locks: no CI identity writes here
    /// (<see cref="CiIdentities.ContainsStateOrBackups"/>).
    /// </summary>
    Subscription,

    /// <summary>
    /// The platform's resource group (made by the foundation): the network, the cluster, the DNS zone, the registry, the
    /// Gateway's address. The state, the backups and the CI identities live in other groups, so it contains none of them.
    /// </summary>
    PlatformResourceGroup,

    /// <summary>The Pulumi state container.</summary>
    StateContainer,

    /// <summary>The storage account that holds the state container: listing keys is an action on the account, not a container.</summary>
    StateAccount,

    /// <summary>The Key Vault key of the azurekeyvault:// secrets provider.</summary>
    StateKey,

    /// <summary>The platform's off-site backup account: each tenant's backup container lives there.</summary>
    BackupAccount,

    /// <summary>The AKS cluster: a Kubernetes permission cluster-wide (Azure RBAC for Kubernetes).</summary>
    Cluster,

    /// <summary>
    /// Each tenant namespace of the platform's cluster (<c>&lt;cluster id&gt;/namespaces/os2borgerpc-&lt;slug&gt;</c>), one
    /// assignment per tenant whose stack file names this platform.
    /// </summary>
    TenantNamespaces,

    /// <summary>
    /// Each tenant's resource group, made by the foundation program (<c>rg-os2borgerpc-&lt;slug&gt;</c>), one assignment per
    /// tenant whose stack file names this platform: it holds neither the state nor the backup account.
    /// </summary>
    TenantResourceGroups,

    /// <summary>
    /// The platform's subnets and private DNS zone a tenant's server and storage account join (the cluster subnet, the
    /// PostgreSQL subnet, the PostgreSQL zone), each as its own scope: none contains anything but itself.
    /// </summary>
    PlatformNetwork,
}

/// <summary>One Azure role an identity holds, where, and why it needs it.</summary>
/// <param name="Condition">An ABAC condition (version 2.0) that limits what the role allows, or null.</param>
public sealed record RoleGrant(string Role, RoleScope Scope, string Why, string? Condition = null);

/// <summary>A built-in role a tenant program assigns, with its role definition's fixed GUID (the same in every Entra tenant).</summary>
public sealed record BuiltInRole(string Name, string DefinitionGuid);

/// <summary>
/// One of the identities the workflows sign in with (federated, no client secret), bound to the GitHub
/// environment of the same name: its federated credential's subject is
/// <c>repo:&lt;owner&gt;/&lt;repo&gt;:environment:&lt;name&gt;</c>, so no other job can sign in as it.
/// </summary>
/// <param name="Environment">The GitHub environment whose jobs sign in as this identity.</param>
/// <param name="Operations">The stack operations run in that environment.</param>
/// <param name="Projects">Whose stacks it runs them on: <see cref="CiIdentities.TenantProject"/>, <see cref="CiIdentities.PlatformProject"/> or both (tenant-stacks.yml's <c>project</c>).</param>
/// <param name="AzureRoles">
/// Everything the identity holds in Azure, the cluster included: with Azure RBAC for Kubernetes and local accounts
/// disabled, an Azure role assignment on the cluster or a namespace is the only way into the cluster.
/// </param>
public sealed record CiIdentity(
    string Environment,
    IReadOnlyList<string> Operations,
    IReadOnlyList<string> Projects,
    IReadOnlyList<RoleGrant> AzureRoles);

/// <summary>
/// Least privilege for CI, decided once: the foundation program creates these identities, their custom roles and every
/// grant outside the platform's resource group, the platform program the grants inside it (<see cref="MadeBy"/>); the
/// workflows use them, docs/RUNBOOK.md ("CI settings") and docs/SECURITY.md describe them.
/// </summary>
public static class CiIdentities
{
    public const string PreviewEnvironment = "preview";
    public const string ProductionEnvironment = "production";
    public const string PlatformEnvironment = "platform";

    /// <summary>The stacks in stacks/ (tenant-stacks.yml's <c>project: tenant</c>).</summary>
    public const string TenantProject = "tenant";

    /// <summary>The stacks in stacks/platform/ (tenant-stacks.yml's <c>project: platform</c>).</summary>
    public const string PlatformProject = "platform";

    /// <summary>
    /// The foundation stacks (infra/OS2BorgerPC.Deploy.FoundationProgram, stack files in stacks/foundation/): the state and
    /// backup accounts, the resource groups and the CI identities with their rights. An operator runs their <c>up</c>; CI only
    /// previews them (tenant-stacks.yml's <c>project: foundation</c>).
    /// </summary>
    public const string FoundationProject = "foundation";

    /// <summary>Who issues the workflows' tokens, and what they are for: the identities' federated credentials trust only these.</summary>
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";
    public const string FederatedTokenAudience = DatabaseRoles.FederatedTokenAudience;

    /// <summary>The federated credential's subject: only jobs of this repository's environment sign in.</summary>
    public static string Subject(string repository, string environment) => $"repo:{repository}:environment:{environment}";

    /// <summary>The stack tag a successful <c>up</c> writes: the commit the stack now runs.</summary>
    public const string DeployedCommitTag = "os2borgerpc-deployed-commit";

    /// <summary>Verbs that change nothing.</summary>
    public static readonly IReadOnlyList<string> ReadVerbs = ["get", "list", "watch"];

    /// <summary>
    /// Creating and removing the tenants' CanNotDelete locks, and nothing else: instead of Owner or User Access
    /// Administrator (the only built-in roles with <c>Microsoft.Authorization/locks/*</c>), which could also
    /// grant any role to anyone.
    /// </summary>
    public static readonly AzureRoleDefinition LockOperator = new(
        "OS2BorgerPC Lock Operator",
        "Reads, creates and deletes management locks; grants no access to anything.",
        ["Microsoft.Authorization/locks/read", "Microsoft.Authorization/locks/write", "Microsoft.Authorization/locks/delete"], [], []);

    /// <summary>What every Kubernetes data action of AKS starts with.</summary>
    public const string AksDataActionPrefix = "Microsoft.ContainerService/managedClusters/";

    /// <summary>The data action that reads Secrets: never held cluster-wide by CI.</summary>
    public const string SecretRead = AksDataActionPrefix + "secrets/read";

    /// <summary>
    /// Reads every Kubernetes object but Secrets, cluster-wide. The wildcard is the only way a custom role covers custom
    /// resources (CloudNativePG clusters, certificates, routes): learn.microsoft.com AKS "manage-azure-rbac" ("the only way
    /// to cover CRDs today is to use Microsoft.ContainerService/managedClusters/*/read"); the built-in AKS RBAC Reader lists
    /// built-in groups only.
    /// </summary>
    public static readonly AzureRoleDefinition ClusterReader = new(
        "OS2BorgerPC Cluster Reader",
        "Reads every Kubernetes object of the cluster except Secrets.",
        [], [AksDataActionPrefix + "*/read"], [SecretRead]);

    /// <summary>
    /// Reads Secrets, held per tenant namespace only: a refresh (the drift check) reads every object the stack manages,
    /// its Secrets included (pulumi-kubernetes v4.32.0 provider/pkg/provider/provider.go, Read). The preview identity
    /// decrypts the same values from the stacks' state already; kube-system's and the platform's Secrets stay out of reach.
    /// </summary>
    public static readonly AzureRoleDefinition TenantSecretReader = new(
        "OS2BorgerPC Tenant Secret Reader",
        "Reads the Secrets of the namespace it is assigned at.",
        [], [SecretRead], []);

    /// <summary>
    /// Everything in one namespace, custom resources included (the wildcard: see <see cref="ClusterReader"/>); held per
    /// tenant namespace only. A namespace-scoped assignment never reaches a cluster-scoped object (users, groups,
    /// ClusterRoles, another namespace).
    /// </summary>
    public static readonly AzureRoleDefinition TenantDeployer = new(
        "OS2BorgerPC Tenant Deployer",
        "Creates, changes and deletes every Kubernetes object of the namespace it is assigned at.",
        [], [AksDataActionPrefix + "*"], []);

    /// <summary>
    /// The cluster-scoped kinds a tenant stack creates, and so the only cluster-wide writes of the deploying identity:
    /// its Namespace (TenantNamespace); every other object a tenant stack registers lives in that namespace.
    /// </summary>
    public static readonly IReadOnlyList<ClusterScopedKind> TenantClusterScopedKinds =
    [
        new("", "namespaces", "kubernetes:core/v1:Namespace"),
    ];

    /// <summary>Writes exactly <see cref="TenantClusterScopedKinds"/>, cluster-wide.</summary>
    public static readonly AzureRoleDefinition TenantNamespaceWriter = new(
        "OS2BorgerPC Tenant Namespace Writer",
        "Creates, changes and deletes namespaces; nothing inside them.",
        [], [.. TenantClusterScopedKinds.SelectMany(k => new[] { k.DataAction("read"), k.DataAction("write"), k.DataAction("delete") })], []);

    /// <summary>The one control-plane action the drift check needs beyond Reader.</summary>
    public const string ListKeys = "Microsoft.Storage/storageAccounts/listKeys/action";

    /// <summary>
    /// Lists storage account keys and nothing else. The azurerm provider's storage account read always lists the keys and,
    /// when refused, empties them (v4.80.0 internal/services/storage/storage_account_resource.go, read): as Reader alone,
    /// every azure tenant's refresh showed its keys and connection strings changed, a false drift every night.
    /// </summary>
    public static readonly AzureRoleDefinition StorageKeyLister = new(
        "OS2BorgerPC Storage Key Lister",
        "Lists storage account keys; reads and changes nothing else.",
        [ListKeys], [], []);

    /// <summary>
    /// Reads a Key Vault key's rotation policy and nothing else. azurerm's key read always fetches the policy and fails on a 403
    /// (v4.80.0 internal/services/keyvault/key_vault_key_resource.go, resourceKeyVaultKeyRead: GetKeyRotationPolicy, WasForbidden
    /// is an error), and Key Vault Crypto User's data actions (keys read, encrypt, decrypt, wrap, unwrap, sign, verify, update,
    /// backup) do not include it: without this the foundation drift check's refresh of the state key fails.
    /// </summary>
    public static readonly AzureRoleDefinition KeyRotationPolicyReader = new(
        "OS2BorgerPC Key Rotation Policy Reader",
        "Reads the rotation policy of the Key Vault keys it is assigned at; nothing else.",
        [], ["Microsoft.KeyVault/vaults/keys/rotationpolicy/read"], []);

    /// <summary>The data actions that encrypt and decrypt with a Key Vault key: what the azurekeyvault:// secrets provider calls.</summary>
    public static readonly IReadOnlyList<string> KeyCryptoActions = ["Microsoft.KeyVault/vaults/keys/encrypt/action", "Microsoft.KeyVault/vaults/keys/decrypt/action"];

    /// <summary>
    /// Encrypts and decrypts with the state key, and reads its metadata; nothing else. Instead of Key Vault Crypto User, whose
    /// keys/update/action and keys/backup/action (learn.microsoft.com built-in roles, security: Key Vault Crypto User) would let a
    /// CI run disable the state key or change its operations, and so lock every stack's secrets away. The secrets provider calls
    /// only Encrypt and Decrypt (gocloud.dev secrets/azurekeyvault akv.go, keeper.Encrypt/Decrypt: azkeys Client.Encrypt and
    /// Decrypt on the named key, no GetKey); read is for the preview's refresh of the foundation's key (azurerm v4.80.0
    /// key_vault_key_resource.go, resourceKeyVaultKeyRead: GetKey).
    /// </summary>
    public static readonly AzureRoleDefinition StateKeyUser = new(
        "OS2BorgerPC State Key User",
        "Encrypts and decrypts with the Key Vault keys it is assigned at and reads their metadata; cannot update, disable, back up or delete them.",
        [], ["Microsoft.KeyVault/vaults/keys/read", .. KeyCryptoActions], []);

    /// <summary>
    /// Reads and writes the stacks' state blobs; held on the state container only, under <see cref="StateWrites.Condition"/>. Instead of
    /// Storage Blob Data Contributor, whose actions also create, change and delete the container itself (containers/write and
    /// containers/delete: learn.microsoft.com built-in roles, storage), which no blob-path condition reaches and which the data plane
    /// runs without asking the account's delete lock (a lock guards control-plane operations only: learn.microsoft.com
    /// azure-resource-manager/management/lock-resources, "Considerations before applying your locks"). Its data actions are Storage
    /// Blob Data Contributor's blob ones; its one action lists the container, as Storage Blob Data Reader's does.
    /// </summary>
    public static readonly AzureRoleDefinition StateWriter = new(
        "OS2BorgerPC State Writer",
        "Reads, writes and deletes the blobs of the containers it is assigned at; cannot create, change or delete a container.",
        ["Microsoft.Storage/storageAccounts/blobServices/containers/read"],
        ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", .. StateWrites.WriteActions], []);

    /// <summary>Every custom role CI holds; the foundation defines each once per subscription.</summary>
    public static IReadOnlyList<AzureRoleDefinition> CustomRoles =>
        [LockOperator, ClusterReader, TenantSecretReader, TenantDeployer, TenantNamespaceWriter, StorageKeyLister, NetworkJoiner, BackupContainerCreator,
            KeyRotationPolicyReader, StateKeyUser, StateWriter];

    /// <summary>
    /// Lets a tenant's flexible server join the platform's delegated subnet and private DNS zone, and its storage account
    /// allow the cluster subnet's service endpoint: the linked-access checks Azure makes on the subnet and zone, not on the
    /// tenant's own group (learn.microsoft.com "Networking with private access for Azure Database for PostgreSQL flexible
    /// server", "Virtual network service endpoints"). Nothing else on them.
    /// </summary>
    public static readonly AzureRoleDefinition NetworkJoiner = new(
        "OS2BorgerPC Network Joiner",
        "Joins resources to the subnets and private DNS zones it is assigned at; changes nothing on them.",
        ["Microsoft.Network/virtualNetworks/subnets/join/action", "Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action",
            "Microsoft.Network/privateDnsZones/join/action"], [], []);

    /// <summary>
    /// Creates a tenant's container in the backup account and reads containers; never deletes one, and touches no setting
    /// of the account, its blob service (versioning, soft delete) or its lock. The tenant program keeps its container with
    /// retainOnDelete, so no up ever deletes it.
    /// </summary>
    public static readonly AzureRoleDefinition BackupContainerCreator = new(
        "OS2BorgerPC Backup Container Creator",
        "Creates and reads blob containers in the account it is assigned at; deletes none and changes no account setting.",
        ["Microsoft.Storage/storageAccounts/blobServices/containers/read", "Microsoft.Storage/storageAccounts/blobServices/containers/write"], [], []);

    /// <summary>The custom role of this name, or null for a built-in role.</summary>
    public static AzureRoleDefinition? Custom(string role) => CustomRoles.SingleOrDefault(r => r.Name == role);

    /// <summary>
    /// Non-read actions that change nothing: listing keys the preview identity already decrypts from the tenants' state, and
    /// the state and backup accounts' keys, inert there (shared-key access is off: SecureStorage); encrypting and decrypting
    /// with a key, which leaves the key as it is.
    /// </summary>
    public static readonly IReadOnlySet<string> RevealingActions = new HashSet<string>([ListKeys, .. KeyCryptoActions], StringComparer.Ordinal);

    /// <summary>
    /// The built-in role that lets <c>az aks get-credentials</c> (and aks-set-context, drift.yml's fleet status) download
    /// the cluster's user kubeconfig: with local accounts disabled it carries no credential, only kubelogin's exec block.
    /// </summary>
    public const string ClusterUserRole = "Azure Kubernetes Service Cluster User Role";

    /// <summary>
    /// Pull-request previews and the nightly drift check: reads everything a preview or a preview-only refresh
    /// reads, changes nothing. It decrypts the stacks' secrets (a preview cannot run without them), so the
    /// <c>preview</c> environment is limited to this repository's own branches; forks run no stack at all.
    /// </summary>
    public static readonly CiIdentity Preview = new(
        PreviewEnvironment,
        ["preview", "drift", "deployed commits"],
        [TenantProject, PlatformProject, FoundationProject],
        [
            new("Reader", RoleScope.Subscription, "read every tenant's Azure resources for the diff and the drift check"),
            new(StorageKeyLister.Name, RoleScope.TenantResourceGroups,
                "let the drift check's refresh read the tenants' storage keys it already holds in their state (else a false drift); "
                + "in the tenants' groups, which the foundation makes before a tenant's first up"),
            new(StorageKeyLister.Name, RoleScope.StateAccount,
                "let the foundation drift check's refresh read the state account's keys (else a false drift); shared-key access is off there, so they open nothing"),
            new(StorageKeyLister.Name, RoleScope.BackupAccount,
                "let the foundation drift check's refresh read the backup account's keys (else a false drift); shared-key access is off there, so they open nothing"),
            new("Storage Blob Data Reader", RoleScope.StateContainer, "read the stacks' state and tags; never write or lock them"),
            new(StateKeyUser.Name, RoleScope.StateKey, "decrypt the stacks' secret config and state (a preview needs them); read the key its refresh of the foundation reads"),
            new(KeyRotationPolicyReader.Name, RoleScope.StateKey, "let the foundation drift check's refresh read the state key's rotation policy (else it fails)"),
            new(ClusterReader.Name, RoleScope.Cluster,
                "read the objects a preview diffs and a refresh reads; a preview's server-side dry run is a write and is not "
                + "granted: when it is Forbidden, pulumi-kubernetes v4.32.0 previews from the inputs instead (provider.go Create/Update)"),
            new(TenantSecretReader.Name, RoleScope.TenantNamespaces, "let the drift check's refresh read the Secrets the tenant stack manages"),
            new(ClusterUserRole, RoleScope.Cluster, "download the credential-free user kubeconfig (drift.yml's fleet status, aks-set-context)"),
        ]);

    /// <summary>
    /// The only role assignments a tenant program makes (its backup identity's blob roles on its own container, and a
    /// drill target's read on its source's): the deploying identity may make exactly these, nothing else.
    /// </summary>
    public static readonly IReadOnlyList<BuiltInRole> TenantAssignableRoles =
    [
        new("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
        new("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"),
    ];

    /// <summary>The principal type of every identity a tenant program grants a role: its user-assigned managed identities.</summary>
    public const string TenantAssignablePrincipalType = "ServicePrincipal";

    /// <summary>
    /// Role Based Access Control Administrator limited by an ABAC condition (Azure RBAC, "Delegate role assignment
    /// management with conditions"; attributes Microsoft.Authorization/roleAssignments:RoleDefinitionId and
    /// :PrincipalType for the write and delete actions): writing or deleting a role assignment is allowed only for
    /// <see cref="TenantAssignableRoles"/> given to service principals. Held at the backup account's scope, so every
    /// such assignment lies on the account or one of its containers.
    /// </summary>
    public static readonly string TenantAssignmentCondition = AssignmentCondition([.. TenantAssignableRoles.Select(r => r.DefinitionGuid)], TenantAssignablePrincipalType);

    /// <summary>Whether the deploying identity's conditioned role lets it make this assignment (what the condition and its scope allow).</summary>
    public static bool MayDeployAssign(string role, string principalType, string scope, string backupAccountId) =>
        TenantAssignableRoles.Any(r => r.Name == role)
        && principalType == TenantAssignablePrincipalType
        && (scope == backupAccountId || scope.StartsWith(backupAccountId + "/", StringComparison.OrdinalIgnoreCase));

    private static string AssignmentCondition(IReadOnlyList<string> roleGuids, string principalType) =>
        AssignmentsOnlyWhere(source => $"@{source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{{string.Join(", ", roleGuids)}}}"
            + $" AND @{source}[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {{'{principalType}'}}");

    /// <summary>
    /// An ABAC condition that lets a role-assignment write (judged on the request) or delete (judged on the assignment
    /// there) through only where <paramref name="allowed"/> holds for that source; every other action passes.
    /// </summary>
    private static string AssignmentsOnlyWhere(Func<string, string> allowed)
    {
        string Clause(string action, string source) =>
            $"(!(ActionMatches{{'Microsoft.Authorization/roleAssignments/{action}'}}) OR ({allowed(source)}))";
        return $"({Clause("write", "Request")}) AND ({Clause("delete", "Resource")})";
    }


    /// <summary>
    /// The tenants' <c>pulumi up</c> from main, after a reviewer approves the <c>production</c> environment. Its Azure writes
    /// stop at the tenants' own resource groups, which the foundation makes: no scope it writes in contains the state account,
    /// the backup account, their resource groups or their locks (<see cref="ContainsStateOrBackups"/>), so a compromised
    /// tenant deploy can neither unlock nor delete them. Creating a tenant's group is the foundation's <c>up</c> (an operator).
    /// </summary>
    public static readonly CiIdentity Production = new(
        ProductionEnvironment,
        ["up"],
        [TenantProject],
        [
            new("Reader", RoleScope.Subscription,
                "read what an up refreshes and looks up outside the tenant's group: the platform's subnets and zone, the backup account, its containers"),
            new("Contributor", RoleScope.TenantResourceGroups, "create and change the tenant's servers, databases, storage accounts and identities in its own group"),
            new(LockOperator.Name, RoleScope.TenantResourceGroups, "create the tenant's CanNotDelete locks in its own group"),
            new(NetworkJoiner.Name, RoleScope.PlatformNetwork,
                "let the tenant's server join the platform's delegated subnet and private DNS zone, and its storage account the cluster subnet's endpoint"),
            new(BackupContainerCreator.Name, RoleScope.BackupAccount, "create the tenant's own backup container; never delete one"),
            new(StateWriter.Name, RoleScope.StateContainer, "write the tenant stacks' state, locks and the deployed-commit tag (their blobs only)",
                StateWrites.Condition([TenantProject])),
            new(StateKeyUser.Name, RoleScope.StateKey, "encrypt and decrypt the tenant stacks' secrets"),
            new(DelegatedAssignmentRole, RoleScope.BackupAccount,
                "give each tenant's backup identity its blob roles on its own container, and a drill's reader identity its read on the drilled tenant's container (those two roles, to service principals, in the backup account only)",
                TenantAssignmentCondition),
            new(ClusterReader.Name, RoleScope.Cluster, "read what an up refreshes and diffs outside the tenant's namespace (never Secrets)"),
            new(TenantNamespaceWriter.Name, RoleScope.Cluster, "create the tenant's namespace: the only cluster-scoped object a tenant stack makes"),
            new(TenantDeployer.Name, RoleScope.TenantNamespaces, "create, change and delete the tenant's objects in its own namespace"),
        ]);

    /// <summary>The built-in roles no identity but an operator may assign: Owner, User Access Administrator, RBAC Administrator (fixed GUIDs).</summary>
    public static readonly IReadOnlyList<BuiltInRole> PrivilegedRoles =
    [
        new("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
        new("User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"),
        new(DelegatedAssignmentRole, "f58310d9-a9f6-439a-9e8d-f62e7b41a168"),
    ];

    /// <summary>
    /// The built-in roles the platform program assigns in its group, with their fixed GUIDs (learn.microsoft.com built-in roles):
    /// the cluster identity's Network Contributor (its subnet, the Gateway's address), the kubelet's AcrPull, cert-manager's DNS Zone
    /// Contributor, the preview identity's cluster user role.
    /// </summary>
    public static readonly IReadOnlyList<BuiltInRole> PlatformAssignableBuiltIns =
    [
        new("Network Contributor", "4d97b98b-1d4f-4787-a291-c67834d212e7"),
        new("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d"),
        new("DNS Zone Contributor", "befefa01-2a29-4197-83a8-272ff33ce314"),
        new(ClusterUserRole, "4abbcc35-e782-43d8-92c5-2d3f1bd2253f"),
    ];

    /// <summary>The custom role the cluster's identity finds the Gateway's address with (the platform's group only; defined by the foundation).</summary>
    public const string PublicIpReaderRole = "OS2BorgerPC Public IP Reader";

    /// <summary>
    /// The custom roles the platform program assigns: the preview's and the deploying identity's at the scopes it makes
    /// (<see cref="MadeBy"/>; the platform identity's own grants are all the foundation's) and the cluster's <see cref="PublicIpReaderRole"/>.
    /// </summary>
    public static IReadOnlyList<string> PlatformAssignableCustomRoles =>
    [
        .. new[] { Preview, Production }.SelectMany(i => i.AzureRoles).Where(g => MadeBy(g.Scope) == PlatformProject && Custom(g.Role) is not null).Select(g => g.Role).Distinct(),
        PublicIpReaderRole,
    ];

    /// <summary>
    /// A placeholder in a condition for a custom role's definition GUID, which differs per platform (<see cref="CustomRoleIds"/>):
    /// <see cref="RenderCondition"/> fills it in where the grant is made.
    /// </summary>
    public static string CustomRoleGuidPlaceholder(string role) => $"{{customRole:{role}}}";

    /// <summary>A condition with each <see cref="CustomRoleGuidPlaceholder"/> replaced by that role's definition GUID.</summary>
    public static string RenderCondition(string condition, Func<string, string> customRoleGuid) =>
        System.Text.RegularExpressions.Regex.Replace(condition, @"\{customRole:(?<role>[^}]+)\}", m => customRoleGuid(m.Groups["role"].Value));

    /// <summary>
    /// The platform identity may assign exactly the roles the platform program assigns (<see cref="PlatformAssignableBuiltIns"/>,
    /// <see cref="PlatformAssignableCustomRoles"/> by their GUIDs) and only to service principals, in the platform's resource group
    /// only: an allow-list, so no other role that carries roleAssignments/write (or any other right) can be handed out by a
    /// compromised platform run. Every privileged grant (the CI identities' conditioned RBAC Administrator) is the foundation's.
    /// </summary>
    public static readonly string PlatformAssignmentCondition = AssignmentCondition(
        [.. PlatformAssignableBuiltIns.Select(r => r.DefinitionGuid), .. PlatformAssignableCustomRoles.Select(CustomRoleGuidPlaceholder)], TenantAssignablePrincipalType);

    /// <summary>Whether <see cref="PlatformAssignmentCondition"/> lets the platform identity assign this role definition to this principal type.</summary>
    public static bool MayPlatformAssign(string roleDefinitionGuid, string principalType, Func<string, string> customRoleGuid) =>
        principalType == TenantAssignablePrincipalType
        && (PlatformAssignableBuiltIns.Any(r => r.DefinitionGuid == roleDefinitionGuid)
            || PlatformAssignableCustomRoles.Any(role => customRoleGuid(role) == roleDefinitionGuid));

    /// <summary>
    /// The platform stacks' <c>pulumi up</c> from main, after a reviewer approves the <c>platform</c> environment (its own
    /// reviewers). It writes in the platform's resource group only (network, cluster, DNS, registry, the Gateway's address and
    /// the role assignments there), never where the state or backups are: those, the resource groups, the custom roles and the
    /// CI identities are the foundation's, which an operator runs (<see cref="FoundationProject"/>). It still administers the
    /// cluster, so it runs no tenant stack.
    /// </summary>
    public static readonly CiIdentity Platform = new(
        PlatformEnvironment,
        ["up"],
        [PlatformProject],
        [
            new("Reader", RoleScope.Subscription,
                "read the role definition of every assignment it manages, which the Azure provider fetches at the subscription's scope "
                + "(azurerm v4.80.0 role_assignment_resource.go, read), and list the subscription's resource providers, which it does on every run "
                + "even when it registers none (resourceproviders.EnsureRegistered, enhanced validation on in 4.x)"),
            new("Contributor", RoleScope.PlatformResourceGroup, "create and change the platform: network, cluster, registry, DNS zone, the Gateway's address"),
            new(LockOperator.Name, RoleScope.PlatformResourceGroup, "create the Gateway address's CanNotDelete lock"),
            new(DelegatedAssignmentRole, RoleScope.PlatformResourceGroup,
                "grant the CI identities their cluster, namespace and network roles, the cluster, kubelet and cert-manager theirs (only those roles, only to service principals)",
                PlatformAssignmentCondition),
            new(StateWriter.Name, RoleScope.StateContainer, "write the platform stacks' state (their blobs only) and read the foundation's outputs (StackReference)",
                StateWrites.Condition([PlatformProject])),
            new(StateKeyUser.Name, RoleScope.StateKey, "encrypt and decrypt the platform stacks' secrets and the foundation's outputs it reads"),
            // Granted by the foundation at the platform's group, which exists before the cluster and whose assignments the cluster
            // inherits: a grant the platform made itself in the run that installs the add-ons would not have propagated yet
            // (azurerm v4.80.0 role_assignment_resource.go, roleAssignmentCreateStateRefreshFunc, waits only until ARM answers the
            // GET; learn.microsoft.com/azure/aks/manage-azure-rbac: "New role assignments can take up to five minutes to propagate").
            new(ClusterAdminRole, RoleScope.PlatformResourceGroup,
                "install and upgrade the platform's add-ons (Envoy Gateway, cert-manager, CloudNativePG) cluster-wide; held at the platform's group "
                + "(the cluster inherits it) so it has propagated before the platform's first up"),
        ]);


    /// <summary>The built-in role that administers every Kubernetes object of an Azure RBAC cluster: the platform identity's only.</summary>
    public const string ClusterAdminRole = "Azure Kubernetes Service RBAC Cluster Admin";

    /// <summary>The built-in role that may assign roles; held by CI only under <see cref="TenantAssignmentCondition"/>.</summary>
    public const string DelegatedAssignmentRole = "Role Based Access Control Administrator";

    public static IReadOnlyList<CiIdentity> All => [Preview, Production, Platform];

    /// <summary>Built-in roles that let their holder change or delete resources, data, or access.</summary>
    public static readonly IReadOnlySet<string> WritingRoles = new HashSet<string>(StringComparer.Ordinal)
    {
        "Owner", "Contributor", "User Access Administrator", "Role Based Access Control Administrator",
        "Storage Blob Data Contributor", "Storage Blob Data Owner", "Storage Account Contributor", LockOperator.Name, ClusterAdminRole,
        // keys/update/action (disable a key, change its operations), keys/backup/action, and more for the officer and administrator.
        "Key Vault Crypto User", "Key Vault Crypto Officer", "Key Vault Administrator",
    };

    /// <summary>Whether a role lets its holder change or delete anything: a writing built-in role, or a custom role with an action that is no read.</summary>
    public static bool Writes(string role) =>
        WritingRoles.Contains(role) || (Custom(role)?.NonReads.Any(a => !RevealingActions.Contains(a)) ?? false);

    /// <summary>Where these decisions are written: what a refusal of them names.</summary>
    public const string DecisionFile = "infra/OS2BorgerPC.Deploy.TenantDecisions/Security/CiIdentities.cs";

    /// <summary>Scopes that hold the fleet's state or backups (or their key).</summary>
    public static readonly IReadOnlySet<RoleScope> StateAndBackupScopes =
        new HashSet<RoleScope> { RoleScope.StateContainer, RoleScope.StateAccount, RoleScope.StateKey, RoleScope.BackupAccount };

    /// <summary>
    /// The writing roles CI may hold on the state and backup scopes, and nothing else there: writing the stacks' state
    /// (blob data, under versioning and soft delete: a previous version stays, deleting one is an Owner data action), and the
    /// conditioned assignment of the tenants' two blob roles. A control-plane role (Contributor, Owner, the lock role...)
    /// there could delete or unlock the account.
    /// </summary>
    public static readonly IReadOnlyList<(string Role, RoleScope Scope)> StateAndBackupWrites =
    [
        (StateWriter.Name, RoleScope.StateContainer),
        (DelegatedAssignmentRole, RoleScope.BackupAccount),
        (BackupContainerCreator.Name, RoleScope.BackupAccount),
    ];

    /// <summary>
    /// The scopes inside each scope, itself included: the subscription holds every other; the platform's resource group holds
    /// the cluster (and so its namespaces) and the platform's subnets and zone; a storage account its containers.
    /// </summary>
    public static IReadOnlySet<RoleScope> Within(RoleScope scope) => scope switch
    {
        RoleScope.Subscription => Enum.GetValues<RoleScope>().ToHashSet(),
        RoleScope.PlatformResourceGroup => new HashSet<RoleScope> { scope, RoleScope.Cluster, RoleScope.TenantNamespaces, RoleScope.PlatformNetwork },
        RoleScope.Cluster => new HashSet<RoleScope> { scope, RoleScope.TenantNamespaces },
        RoleScope.StateAccount => new HashSet<RoleScope> { scope, RoleScope.StateContainer },
        _ => new HashSet<RoleScope> { scope },
    };

    /// <summary>
    /// Whether a scope holds the state or backup account, their key, or their locks: the subscription contains both accounts,
    /// their resource groups and every lock on them; the state and backup scopes are them. The platform's resource group, a
    /// tenant's group, a namespace, the cluster and the platform's subnets and zone contain none of them.
    /// </summary>
    public static bool ContainsStateOrBackups(RoleScope scope) => Within(scope).Overlaps(StateAndBackupScopes);

    /// <summary>
    /// Which program makes the grants at a scope: the platform program the ones inside the platform's resource group, where
    /// the cluster and network it makes are (its identity's conditioned RBAC Administrator reaches no further); the foundation,
    /// run by an operator, every other (the subscription, the state, the backups, the resource groups it makes).
    /// </summary>
    public static string MadeBy(RoleScope scope) =>
        Within(RoleScope.PlatformResourceGroup).Contains(scope) && scope != RoleScope.PlatformResourceGroup ? PlatformProject : FoundationProject;

    /// <summary>
    /// What is wrong with a set of CI identities, each naming <see cref="DecisionFile"/>, the identity and the fix: a writing role
    /// on a scope that contains the state or backups (the subscription, the state and backup scopes) beyond
    /// <see cref="StateAndBackupWrites"/>; an access-granting role without a condition; any writing role held by the read-only
    /// preview identity; a platform identity (cluster admin) that runs tenant stacks; any identity that runs the foundation's
    /// <c>up</c>. The foundation program provisions nothing then.
    /// </summary>
    public static IReadOnlyList<Problem> Problems(IEnumerable<CiIdentity> identities) =>
    [
        .. identities.SelectMany(identity => identity.AzureRoles.Select(grant => (identity, grant))).SelectMany(p => GrantProblems(p.identity, p.grant)),
        .. identities.SelectMany(IdentityProblems),
    ];

    private static IEnumerable<Problem> GrantProblems(CiIdentity identity, RoleGrant grant)
    {
        var key = $"{identity.Environment}: {grant.Role} on {grant.Scope}";
        if (ContainsStateOrBackups(grant.Scope) && Writes(grant.Role) && !StateAndBackupWrites.Contains((grant.Role, grant.Scope)))
        {
            yield return grant.Scope == RoleScope.Subscription
                ? new Problem(DecisionFile, key,
                    "is a writing role on a scope that contains the fleet's state and backup accounts, their resource groups and their locks: "
                    + "a compromised run could unlock and delete them.",
                    $"Grant it on {RoleScope.TenantResourceGroups}, {RoleScope.PlatformResourceGroup} or a narrower scope; what only an operator "
                    + $"may do belongs in the foundation program, which no CI identity runs.")
                : new Problem(DecisionFile, key,
                    "is a writing role on the fleet's state or backups: a compromised run could delete or unlock them.",
                    $"Remove it; CI writes there only through {string.Join(", ", StateAndBackupWrites.Select(w => $"{w.Role} on {w.Scope}"))}.");
        }
        if (grant.Role == StateWriter.Name && grant.Scope == RoleScope.StateContainer && grant.Condition != StateWrites.Condition(identity.Projects))
        {
            yield return new Problem(DecisionFile, key,
                "lets the identity write every project's checkpoints, the foundation's included: a compromised run could rewrite them.",
                $"Limit it by {nameof(StateWrites)}.{nameof(StateWrites.Condition)} of the identity's own projects.");
        }
        if (AccessGrantingRoles.Contains(grant.Role) && grant.Condition is null)
        {
            yield return new Problem(DecisionFile, key, "grants roles to anyone: no CI identity may hold it without an ABAC condition.",
                $"Remove it, or limit it by a condition such as {nameof(TenantAssignmentCondition)}.");
        }
        if (identity.Environment == PreviewEnvironment && Writes(grant.Role))
        {
            yield return new Problem(DecisionFile, key, "writes: the preview identity runs the code of any branch and must only read.",
                "Grant it to the production identity, or use a role without write, delete or action permissions.");
        }
    }

    private static IEnumerable<Problem> IdentityProblems(CiIdentity identity)
    {
        // The platform identity administers the cluster, every tenant's namespace included: a tenant stack never runs as it.
        if (identity.Environment == PlatformEnvironment && identity.Projects.Any(p => p != PlatformProject))
        {
            yield return new Problem(DecisionFile, $"{identity.Environment}: projects",
                "lets the platform identity, which holds cluster admin, run tenant stacks.",
                $"Keep its projects to '{PlatformProject}'; tenant stacks run in the {ProductionEnvironment} environment.");
        }
        // The foundation holds the state, the backups and CI's own rights: its up is an operator's, never CI's.
        if (identity.Operations.Contains("up") && identity.Projects.Contains(FoundationProject))
        {
            yield return new Problem(DecisionFile, $"{identity.Environment}: projects",
                "lets a CI identity run the foundation's up, which makes the state and backup accounts and every CI identity's rights.",
                $"Remove '{FoundationProject}' from its projects; an operator runs 'pulumi up' in infra/OS2BorgerPC.Deploy.FoundationProgram.");
        }
    }

    /// <summary>Roles that can grant roles: never held by a CI identity without an ABAC condition.</summary>
    public static readonly IReadOnlySet<string> AccessGrantingRoles = new HashSet<string>(StringComparer.Ordinal)
    {
        "Owner", "User Access Administrator", "Role Based Access Control Administrator",
    };
}
