using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// templates/postgres-init.sh, run as the postgres image runs its init scripts: as the superuser over the
/// local socket, with the app's login and database names and password in the environment.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresInitScriptTests(PostgresServer server)
{
    // Quotes, a backslash and a dollar: the script must pass the password through as data, never as SQL or shell.
    private readonly Connection app = server.OverTcp(
        PostgresServer.UniqueName("site"), PostgresServer.UniqueName("login"), $"it's \"{Guid.NewGuid():N}\" \\ $HOME");

    [Fact]
    public void The_login_owns_its_database_and_is_no_superuser()
    {
        RunInitScript();

        server.Query(server.AsSuperuser(), $"SELECT rolsuper, rolcreaterole, rolcreatedb, rolcanlogin FROM pg_roles WHERE rolname = '{app.User}'")
            .ShouldBe("f|f|f|t");
        server.Query(server.AsSuperuser(), $"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{app.Database}'")
            .ShouldBe(app.User);
    }

    [Fact]
    public void The_login_signs_in_with_its_password_and_only_with_it()
    {
        var run = RunInitScript();

        server.Query(app, "SELECT current_user").ShouldBe(app.User);
        server.TryQuery(app with { Password = "wrong" }, "SELECT 1").ShouldFail().Error.ShouldContain("password authentication failed");
        run.Transcript.ShouldNotContain(app.Password!);
    }

    /// <summary>PostgreSQL 15 no longer lets everyone create in public; Django's migrations need it, which ownership gives.</summary>
    [Fact]
    public void The_login_can_create_tables_in_the_public_schema()
    {
        RunInitScript();

        server.Query(app, "CREATE TABLE public.django_migrations_probe (id integer); SELECT count(*) FROM public.django_migrations_probe")
            .ShouldBe("0");
    }

    [Fact]
    public void Other_logins_cannot_connect_to_the_database()
    {
        RunInitScript();
        var other = server.OverTcp(app.Database, PostgresServer.UniqueName("other"), "other-password");
        server.Query(server.AsSuperuser(), $"CREATE ROLE \"{other.User}\" LOGIN PASSWORD '{other.Password}'");

        server.TryQuery(other, "SELECT 1").ShouldFail().Error.ShouldContain("permission denied for database");
        // Control: the same login does get into a database that still allows everyone.
        server.Query(other with { Database = "postgres" }, "SELECT current_user").ShouldBe(other.User);
    }

    private ProgramRun RunInitScript()
    {
        var environment = server.AsSuperuser().Environment();
        environment["PATH"] = server.ClientPath;
        environment["POSTGRES_USER"] = PostgresServer.Superuser;
        environment["APP_DB_USER"] = app.User;
        environment["APP_DB_NAME"] = app.Database;
        environment["APP_DB_PASSWORD"] = app.Password;
        return KitScript.Run("postgres-init.sh", environment).ShouldSucceed();
    }
}
