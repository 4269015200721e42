namespace OS2BorgerPC.Deploy.Platforms.Decisions;

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

public sealed record CiRoleGrant(string Role, RoleScope Scope, string Why);

/// <summary>
/// One identity GitHub Actions signs in as (a user-assigned identity with a federated credential, no secret),
/// bound to one GitHub environment of the repository.
/// </summary>
public sealed record CiIdentity(string Environment, IReadOnlyList<CiRoleGrant> Roles);

/// <summary>
/// Least privilege for CI, decided once: a read-only identity for pull-request previews and drift checks, a
/// deploying one for <c>up</c> from main. Neither holds Owner, User Access Administrator or any role that can grant
/// roles; deleting the tenants' locks takes a custom role with the lock actions only. The platform stack itself
/// (which grants roles) is deployed by an administrator, not by CI.
/// </summary>
public static class CiRoles
{
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";
    public const string Audience = "api://AzureADTokenExchange";
    public const string LockOperatorRole = "OS2BorgerPC Lock Operator";

    public static readonly IReadOnlyList<string> LockActions =
        ["Microsoft.Authorization/locks/read", "Microsoft.Authorization/locks/write", "Microsoft.Authorization/locks/delete"];

    public static readonly CiIdentity Preview = new("preview",
    [
        new("Reader", RoleScope.Subscription, "read every tenant's Azure resources for the diff and the drift check"),
        new("Storage Blob Data Reader", RoleScope.StateContainer, "read the stacks' state; never write it"),
        new("Key Vault Crypto User", RoleScope.StateKey, "decrypt the stacks' secret config (a preview needs it)"),
    ]);

    public static readonly CiIdentity Production = new("production",
    [
        new("Contributor", RoleScope.Subscription, "create the tenants' resource groups, servers and storage"),
        new(LockOperatorRole, RoleScope.Subscription, "create the tenants' CanNotDelete locks"),
        new("Storage Blob Data Contributor", RoleScope.StateContainer, "write the stacks' state and locks"),
        new("Key Vault Crypto User", RoleScope.StateKey, "encrypt and decrypt the stacks' secrets"),
    ]);

    public static IReadOnlyList<CiIdentity> All => [Preview, Production];

    /// <summary>Roles that can grant roles: never held by a CI identity.</summary>
    public static readonly IReadOnlySet<string> AccessGrantingRoles =
        new HashSet<string>(StringComparer.Ordinal) { "Owner", "User Access Administrator", "Role Based Access Control Administrator" };

    /// <summary>The federated credential's subject: only jobs of this repository's environment sign in.</summary>
    public static string Subject(string repository, string environment) => $"repo:{repository}:environment:{environment}";
}
