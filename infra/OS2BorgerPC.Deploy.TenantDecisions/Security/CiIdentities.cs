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
}

/// <summary>One Azure role an identity holds, where, and why it needs it.</summary>
public sealed record RoleGrant(string Role, RoleScope Scope, string Why);

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

    /// <summary><c>pulumi up</c> from main, after a reviewer approves the <c>production</c> environment.</summary>
    public static readonly CiIdentity Production = new(
        ProductionEnvironment,
        ["up"],
        [
            new("Contributor", RoleScope.Subscription, "create the tenants' resource groups, servers, databases and storage accounts"),
            new(LockOperator.Name, RoleScope.Subscription, "create the tenants' CanNotDelete locks (no role assignments)"),
            new("Storage Blob Data Contributor", RoleScope.StateContainer, "write the stacks' state, locks and the deployed-commit tag"),
            new("Key Vault Crypto User", RoleScope.StateKey, "encrypt and decrypt the stacks' secrets"),
        ],
        [new V1PolicyRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] }]);

    public static IReadOnlyList<CiIdentity> All => [Preview, Production];

    /// <summary>Built-in roles that let their holder change or delete resources, data, or access.</summary>
    public static readonly IReadOnlySet<string> WritingRoles = new HashSet<string>(StringComparer.Ordinal)
    {
        "Owner", "Contributor", "User Access Administrator", "Role Based Access Control Administrator",
        "Storage Blob Data Contributor", "Storage Blob Data Owner", "Storage Account Contributor", LockOperator.Name,
    };

    /// <summary>Roles that can grant roles: never held by a CI identity.</summary>
    public static readonly IReadOnlySet<string> AccessGrantingRoles = new HashSet<string>(StringComparer.Ordinal)
    {
        "Owner", "User Access Administrator", "Role Based Access Control Administrator",
    };
}
