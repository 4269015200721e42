using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// templates/azure-app-role.sh against a real PostgreSQL laid out as an Azure flexible server is: an
/// <c>azure_pg_admin</c> group (no superuser), the server's administrator login in it, the app's database
/// owned by the group (as the kit assumes databases made through Azure Resource Manager are), and an Entra
/// administrator in the group that signs in with an access token instead of a password.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AzureAppRoleScriptTests(PostgresServer server)
{
    private const string AzurePgAdmin = "azure_pg_admin";
    private readonly string token = $"eyJ0eXAi.{Guid.NewGuid():N}";
    private readonly Connection app = server.OverTcp(
        PostgresServer.UniqueName("os2borgerpc"), PostgresServer.UniqueName("app"), $"it's \"{Guid.NewGuid():N}\" \\ $HOME");

    [Fact]
    public void The_app_role_owns_its_database_and_has_no_admin_rights()
    {
        var entra = AzureLikeServer();

        Run(entra, app.Password!).ShouldSucceed();

        server.Query(server.AsSuperuser(), $"SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = '{app.User}'")
            .ShouldBe("f|f|f|f|f|t");
        server.Query(server.AsSuperuser(), $"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{app.Database}'").ShouldBe(app.User);
        foreach (var group in DatabaseRoles.WithheldMemberships.Where(g => g == AzurePgAdmin || g.StartsWith("pg_", StringComparison.Ordinal)))
        {
            server.Query(server.AsSuperuser(), $"SELECT pg_has_role('{app.User}', '{group}', 'MEMBER')").ShouldBe("f", group);
        }
        server.Query(app, "CREATE TABLE public.django_migrations_probe (id integer); SELECT current_user").ShouldBe(app.User);
        server.TryQuery(app, "CREATE ROLE escalate LOGIN").ShouldFail().Error.ShouldContain("permission denied");
    }

    [Fact]
    public void Running_it_again_changes_nothing_but_the_password()
    {
        var entra = AzureLikeServer();
        Run(entra, app.Password!).ShouldSucceed();

        var second = Run(entra, "rotated-password-1A");

        second.ShouldSucceed();
        server.Query(app with { Password = "rotated-password-1A" }, "SELECT current_user").ShouldBe(app.User);
        server.TryQuery(app, "SELECT 1").ShouldFail().Error.ShouldContain("password authentication failed");
        server.Query(server.AsSuperuser(), $"SELECT count(*) FROM pg_roles WHERE rolname = '{app.User}'").ShouldBe("1");
    }

    [Fact]
    public void Neither_the_token_nor_the_password_appears_in_its_output()
    {
        var run = Run(AzureLikeServer(), app.Password!).ShouldSucceed();

        run.Transcript.ShouldNotContain(token);
        run.Transcript.ShouldNotContain(app.Password!);
    }

    /// <summary>If the Entra administrator cannot hand the database over, the Job fails and the app never starts on another login.</summary>
    [Fact]
    public void It_fails_when_the_database_is_not_the_administrators_to_hand_over()
    {
        var entra = AzureLikeServer();
        var stranger = PostgresServer.UniqueName("stranger");
        server.Query(server.AsSuperuser(), $"CREATE ROLE \"{stranger}\" NOLOGIN; ALTER DATABASE \"{app.Database}\" OWNER TO \"{stranger}\"");

        Run(entra, app.Password!).ShouldFail().Error.ShouldContain("must be owner of database");
    }

    /// <summary>An app role that is an administrator already (made by hand, say) is refused, never handed the database.</summary>
    [Fact]
    public void It_refuses_an_app_role_with_admin_rights()
    {
        var entra = AzureLikeServer();
        server.Query(server.AsSuperuser(), $"CREATE ROLE \"{app.User}\" LOGIN IN ROLE {AzurePgAdmin}");

        Run(entra, app.Password!).ShouldFail().Error.ShouldContain("has administrator rights");
        server.Query(server.AsSuperuser(), $"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{app.Database}'").ShouldBe(AzurePgAdmin);
    }

    /// <summary>The group, an administrator login, the app's database owned by the group, and the Entra administrator.</summary>
    private Connection AzureLikeServer()
    {
        var superuser = server.AsSuperuser();
        server.Query(superuser, $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{AzurePgAdmin}') THEN CREATE ROLE {AzurePgAdmin} NOLOGIN; END IF; END $$");
        var administrator = PostgresServer.UniqueName("os2borgerpc_admin");
        server.Query(superuser, $"CREATE ROLE \"{administrator}\" LOGIN CREATEDB CREATEROLE PASSWORD 'admin-1A' IN ROLE {AzurePgAdmin}");
        server.Query(superuser, $"CREATE DATABASE \"{app.Database}\" OWNER {AzurePgAdmin}");
        var entra = server.OverTcp("postgres", PostgresServer.UniqueName("id-os2bpc-dbadmin"), token);
        server.Query(superuser, $"CREATE ROLE \"{entra.User}\" LOGIN CREATEDB CREATEROLE PASSWORD '{token}' IN ROLE {AzurePgAdmin}");
        return entra;
    }

    private ProgramRun Run(Connection entra, string appPassword)
    {
        var tokenFile = Path.Combine(Directory.CreateTempSubdirectory("os2bpc-token-").FullName, "token");
        File.WriteAllText(tokenFile, token);
        // The token reaches psql through the file only, as in the Job.
        var variables = entra.Environment();
        variables.Remove("PGPASSWORD");
        variables.Remove("PGDATABASE");
        variables["PATH"] = server.ClientPath;
        variables["ACCESS_TOKEN_FILE"] = tokenFile;
        variables["APP_DB_USER"] = app.User;
        variables["APP_DB_NAME"] = app.Database;
        variables["APP_DB_PASSWORD"] = appPassword;
        return KitScript.Run(DatabaseRoles.AppRoleScript, variables);
    }
}
