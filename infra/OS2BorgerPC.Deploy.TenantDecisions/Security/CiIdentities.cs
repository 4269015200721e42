using k8s.Models;

namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>A custom Azure role: what the platform program defines once per subscription.</summary>
public sealed record AzureRoleDefinition(string Name, string Description, IReadOnlyList<string> Actions);

/// <summary>Where a CI role is granted.</summary>
public enum RoleScope
{
    /// <summary>The fleet's subscription: tenants' resource groups are created there.</summary>
    Subscription,

    /// <summary>The Pulumi state container.</summary>
    StateContainer,

    /// <summary>The Key Vault key of the azurekeyvault:// secrets provider.</summary>
    StateKey,

    /// <summary>The platform's off-site backup account: each tenant's backup container lives there.</summary>
    BackupAccount,
}

/// <summary>One Azure role an identity holds, where, and why it needs it.</summary>
/// <param name="Condition">An ABAC condition (version 2.0) that limits what the role allows, or null.</param>
public sealed record RoleGrant(string Role, RoleScope Scope, string Why, string? Condition = null);

/// <summary>A built-in role a tenant program assigns, with its role definition's fixed GUID (the same in every Entra tenant).</summary>
public sealed record BuiltInRole(string Name, string DefinitionGuid);

/// <summary>
/// One of the two identities the workflows sign in with (federated, no client secret), bound to the GitHub
/// environment of the same name: its federated credential's subject is
/// <c>repo:&lt;owner&gt;/&lt;repo&gt;:environment:&lt;name&gt;</c>, so no other job can sign in as it.
/// </summary>
/// <param name="Environment">The GitHub environment whose jobs sign in as this identity.</param>
/// <param name="Operations">The tenant-stack operations run in that environment.</param>
/// <param name="AzureRoles">Everything the identity holds in Azure.</param>
/// <param name="ClusterRules">What the identity may do in the cluster (a ClusterRole bound to it).</param>
public sealed record CiIdentity(
    string Environment,
    IReadOnlyList<string> Operations,
    IReadOnlyList<RoleGrant> AzureRoles,
    IReadOnlyList<V1PolicyRule> ClusterRules);

/// <summary>
/// Least privilege for CI, decided once: the platform program creates these identities and roles, the
/// workflows use them, docs/RUNBOOK.md ("CI settings") and docs/SECURITY.md describe them.
/// </summary>
public static class CiIdentities
{
    public const string PreviewEnvironment = "preview";
    public const string ProductionEnvironment = "production";

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
        ["Microsoft.Authorization/locks/read", "Microsoft.Authorization/locks/write", "Microsoft.Authorization/locks/delete"]);

    /// <summary>
    /// Pull-request previews and the nightly drift check: reads everything a preview or a preview-only refresh
    /// reads, changes nothing. It decrypts the stacks' secrets (a preview cannot run without them), so the
    /// <c>preview</c> environment is limited to this repository's own branches; forks run no stack at all.
    /// </summary>
    public static readonly CiIdentity Preview = new(
        PreviewEnvironment,
        ["preview", "drift", "deployed commits"],
        [
            new("Reader", RoleScope.Subscription, "read every tenant's Azure resources for the diff and the drift check"),
            new("Storage Blob Data Reader", RoleScope.StateContainer, "read the stacks' state and tags; never write or lock them"),
            new("Key Vault Crypto User", RoleScope.StateKey, "decrypt the stacks' secret config and state (a preview needs them)"),
        ],
        [new V1PolicyRule { ApiGroups = ["*"], Resources = ["*"], Verbs = [.. ReadVerbs] }]);

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
    public static readonly string TenantAssignmentCondition = AssignmentCondition(TenantAssignableRoles, TenantAssignablePrincipalType);

    /// <summary>Whether the deploying identity's conditioned role lets it make this assignment (what the condition and its scope allow).</summary>
    public static bool MayDeployAssign(string role, string principalType, string scope, string backupAccountId) =>
        TenantAssignableRoles.Any(r => r.Name == role)
        && principalType == TenantAssignablePrincipalType
        && (scope == backupAccountId || scope.StartsWith(backupAccountId + "/", StringComparison.OrdinalIgnoreCase));

    private static string AssignmentCondition(IReadOnlyList<BuiltInRole> roles, string principalType)
    {
        var guids = string.Join(", ", roles.Select(r => r.DefinitionGuid));
        string Allowed(string action, string source) =>
            $"(!(ActionMatches{{'Microsoft.Authorization/roleAssignments/{action}'}})"
            + $" OR (@{source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{{guids}}}"
            + $" AND @{source}[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {{'{principalType}'}}))";
        return $"({Allowed("write", "Request")}) AND ({Allowed("delete", "Resource")})";
    }

    /// <summary><c>pulumi up</c> from main, after a reviewer approves the <c>production</c> environment.</summary>
    public static readonly CiIdentity Production = new(
        ProductionEnvironment,
        ["up"],
        [
            new("Contributor", RoleScope.Subscription, "create the tenants' resource groups, servers, databases and storage accounts"),
            new(LockOperator.Name, RoleScope.Subscription, "create the tenants' CanNotDelete locks (no role assignments)"),
            new("Storage Blob Data Contributor", RoleScope.StateContainer, "write the stacks' state, locks and the deployed-commit tag"),
            new("Key Vault Crypto User", RoleScope.StateKey, "encrypt and decrypt the stacks' secrets"),
            new(DelegatedAssignmentRole, RoleScope.BackupAccount,
                "give each tenant's backup identity its blob roles on its own container (those two roles, to service principals, in the backup account only)",
                TenantAssignmentCondition),
        ],
        [new V1PolicyRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] }]);

    /// <summary>The built-in role that may assign roles; held by CI only under <see cref="TenantAssignmentCondition"/>.</summary>
    public const string DelegatedAssignmentRole = "Role Based Access Control Administrator";

    public static IReadOnlyList<CiIdentity> All => [Preview, Production];

    /// <summary>Built-in roles that let their holder change or delete resources, data, or access.</summary>
    public static readonly IReadOnlySet<string> WritingRoles = new HashSet<string>(StringComparer.Ordinal)
    {
        "Owner", "Contributor", "User Access Administrator", "Role Based Access Control Administrator",
        "Storage Blob Data Contributor", "Storage Blob Data Owner", "Storage Account Contributor", LockOperator.Name,
    };

    /// <summary>Roles that can grant roles: never held by a CI identity without an ABAC condition.</summary>
    public static readonly IReadOnlySet<string> AccessGrantingRoles = new HashSet<string>(StringComparer.Ordinal)
    {
        "Owner", "User Access Administrator", "Role Based Access Control Administrator",
    };
}
