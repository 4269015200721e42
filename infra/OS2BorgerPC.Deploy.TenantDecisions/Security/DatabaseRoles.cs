using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>
/// Who connects to a tenant's database as what. In the cluster the app's login is created by the server's
/// init script, owns its database and nothing else. On Azure the server's administrator login (member of
/// <c>azure_pg_admin</c>, CREATEROLE, CREATEDB) keeps its generated password in the stack only; the app
/// connects as its own role, made by <see cref="AppRoleScript"/> as the server's Entra administrator.
/// </summary>
public static class DatabaseRoles
{
    /// <summary>The app's role on an Azure server: a login that owns the app's database and nothing else.</summary>
    public const string AzureAppRole = "os2borgerpc_app";

    /// <summary>The script the app-role Job runs (templates/).</summary>
    public const string AppRoleScript = "azure-app-role.sh";

    /// <summary>The script that trades the Job's service-account token for an Entra access token (templates/).</summary>
    public const string TokenScript = "entra-token.sh";

    /// <summary>Role attributes the app's role never has: each would let it reach beyond its own database.</summary>
    public static readonly IReadOnlyList<string> WithheldAttributes = ["SUPERUSER", "CREATEDB", "CREATEROLE", "REPLICATION", "BYPASSRLS"];

    /// <summary>Roles the app's role is never a member of.</summary>
    public static readonly IReadOnlyList<string> WithheldMemberships = ["azure_pg_admin", "pg_read_server_files", "pg_write_server_files", "pg_execute_server_program"];

    /// <summary>The login the admin site and the data jobs use.</summary>
    public static string AppLogin(Tenant tenant) => tenant.Hosting == Hosting.Azure ? AzureAppRole : tenant.Names.DatabaseUser;

    /// <summary>
    /// The Azure server's administrator login. Unchanged from the kit's first release: Azure cannot rename a
    /// server's administrator, so renaming it would replace the server.
    /// </summary>
    public static string AzureAdministratorLogin(Tenant tenant) => tenant.Names.DatabaseUser;

    /// <summary>The user-assigned identity that is the server's Entra administrator and runs the app-role Job.</summary>
    public static string AzureEntraAdministrator(Tenant tenant) => $"id-os2bpc-{tenant.Slug}-dbadmin";

    /// <summary>The Kubernetes service account the app-role Job runs as; the identity trusts only its tokens.</summary>
    public const string AppRoleServiceAccount = "db-app-role";

    /// <summary>The scope of the Entra access token Azure Database for PostgreSQL accepts as a password.</summary>
    public const string AccessTokenScope = "https://ossrdbms-aad.database.windows.net/.default";

    /// <summary>The audience of the service-account token a federated identity credential accepts.</summary>
    public const string FederatedTokenAudience = "api://AzureADTokenExchange";

    /// <summary>The federated credential's subject: the app-role Job's service account in the tenant's namespace.</summary>
    public static string FederatedSubject(Tenant tenant) => $"system:serviceaccount:{tenant.Names.Namespace}:{AppRoleServiceAccount}";
}
