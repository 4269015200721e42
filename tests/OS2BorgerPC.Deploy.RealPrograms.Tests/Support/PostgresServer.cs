using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests.Support;

/// <summary>Where and as whom libpq connects: the standard PG* variables, as the pods get them.</summary>
/// <param name="HostAddress">Where <paramref name="Host"/> is (PGHOSTADDR): libpq connects there and checks the certificate against Host.</param>
public sealed record Connection(string Host, int Port, string Database, string User, string? Password, string? HostAddress = null)
{
    /// <summary>More of libpq's variables, on top of the connection's (the kit's TLS settings).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra { get; init; } = [];

    public Dictionary<string, string?> Environment()
    {
        var environment = new Dictionary<string, string?>
        {
            ["PGHOST"] = Host,
            ["PGHOSTADDR"] = HostAddress,
            ["PGPORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["PGDATABASE"] = Database,
            ["PGUSER"] = User,
            ["PGPASSWORD"] = Password,
        };
        foreach (var (name, value) in Extra)
        {
            environment[name] = value;
        }
        return environment;
    }
}

/// <summary>The tests that share the one server run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}

/// <summary>
/// A throw-away PostgreSQL cluster for one test run: initdb in a temp folder, listening on a free port
/// of 127.0.0.1 and on a socket in that folder; stopped and deleted at the end, even when the test host
/// exits without disposing it. The superuser connects over the socket without a password (as the image's
/// init scripts do); every other login only over TCP with a SCRAM password, so a login proves the password.
/// TCP takes TLS with a server certificate as CloudNativePG makes one (<see cref="ServerCertificate"/>).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string Superuser = "postgres";
    private const string ServerPackage = "postgresql-15";
    private const string ClientPackage = "postgresql-client-15";
    private const string PackageRoot = "/usr/lib/postgresql";

    private readonly DirectoryInfo root;
    private readonly RealProgram pgCtl;
    private readonly RealProgram psql;
    private int stopped;

    public PostgresServer() : this("")
    {
    }

    /// <summary>A server of its own with more settings in postgresql.conf (e.g. WAL archiving), for a test that needs them.</summary>
    public static PostgresServer WithSettings(string settings) => new(settings);

    private PostgresServer(string settings)
    {
        BinDirectory = FindBinDirectory();
        var initdb = RealProgram.In(BinDirectory, "initdb", ServerPackage);
        pgCtl = RealProgram.In(BinDirectory, "pg_ctl", ServerPackage);
        psql = Client("psql");

        root = Directory.CreateTempSubdirectory("os2bpc-postgres-");
        try
        {
            // The server runs as the unprivileged user when the tests run as root: it creates its data
            // folder, socket and log here.
            RealProgram.OpenToUnprivileged(root);
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
            initdb.RunUnprivileged(["--pgdata", DataDirectory, "--username", Superuser, "--encoding", "UTF8", "--locale", "C", "--no-sync"],
                workingDirectory: root.FullName).ShouldSucceed();
            File.WriteAllText(Path.Combine(DataDirectory, "pg_hba.conf"), $"""
                local all {Superuser} trust
                host all all 127.0.0.1/32 scram-sha-256
                """);
            ServerCertificate.Issue(root.FullName, DataDirectory);
            File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), $"""

                # Test fixture: loopback and a private socket only; durability is not wanted.
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '{root.FullName}'
                password_encryption = 'scram-sha-256'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                ssl = on
                ssl_cert_file = '{ServerCertificate.CertificateFile}'
                ssl_key_file = '{ServerCertificate.KeyFile}'
                {settings}

                """);
            Port = Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }

    /// <summary>The CA (PEM) the server's certificate is signed by, as CloudNativePG's &lt;cluster&gt;-ca Secret holds it in ca.crt.</summary>
    public string CaFile => Path.Combine(root.FullName, ServerCertificate.CaFile);

    /// <summary>The newest installed server's programs, with the client programs of the same version.</summary>
    public string BinDirectory { get; }

    /// <summary>The scripts' PATH: this server's own client programs first, as in the postgres image (pg_dump refuses newer servers).</summary>
    public string ClientPath => $"{BinDirectory}:{Environment.GetEnvironmentVariable("PATH")}";

    private string DataDirectory => Path.Combine(root.FullName, "data");

    private string LogFile => Path.Combine(root.FullName, "server.log");

    public RealProgram Client(string name) => RealProgram.In(BinDirectory, name, ClientPackage);

    public Connection AsSuperuser(string database = "postgres") => new(root.FullName, Port, database, Superuser, null);

    public Connection OverTcp(string database, string user, string? password) => new("127.0.0.1", Port, database, user, password);

    public ProgramRun TryQuery(Connection connection, string sql) =>
        psql.Run(["--no-psqlrc", "--no-align", "--tuples-only", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1", "--command", sql],
            connection.Environment());

    /// <summary>The query's rows, one a line, columns separated by '|'.</summary>
    public string Query(Connection connection, string sql) => TryQuery(connection, sql).ShouldSucceed().Output.Trim();

    /// <summary>Every table of a schema (public unless named): its rows, counted and hashed in a fixed order.</summary>
    public List<(string Table, int Rows, string Hash)> Fingerprint(Connection database, string schema = "public")
    {
        var tables = Query(database, $"SELECT tablename FROM pg_tables WHERE schemaname = '{schema}' ORDER BY 1").Split('\n');
        var sql = string.Join(" UNION ALL ", tables.Select(table =>
            $"SELECT '{table}', count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM \"{schema}\".\"{table}\" r"));
        return [.. Query(database, $"{sql} ORDER BY 1").Split('\n').Select(line => line.Split('|')).Select(cells =>
            (cells[0], int.Parse(cells[1], CultureInfo.InvariantCulture), cells[2]))];
    }

    /// <summary>A login with a password and an empty database it owns, as the cluster's database has them.</summary>
    public Connection CreateAppDatabase()
    {
        var name = UniqueName("app");
        var password = Guid.NewGuid().ToString("N");
        Query(AsSuperuser(), $"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'");
        return CreateDatabase(OverTcp(name, name, password));
    }

    /// <summary>Another empty database, owned by the same login.</summary>
    public Connection CreateDatabase(Connection owner)
    {
        var database = owner with { Database = UniqueName("db") };
        Query(AsSuperuser(), $"CREATE DATABASE \"{database.Database}\" OWNER \"{owner.User}\"");
        return database;
    }

    /// <summary>Role and database names are cluster-wide: every test makes its own.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    /// <summary>A loopback port nothing listens on (at the moment of asking).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Stop();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Stop();

    private int Start()
    {
        ProgramRun? last = null;
        // Another process may take the port between the probe and the server's bind: then try another.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            last = pgCtl.RunUnprivileged(["--pgdata", DataDirectory, "--log", LogFile, "--options", $"-p {port}", "--wait", "--timeout", "30", "start"],
                workingDirectory: root.FullName);
            if (last.ExitCode == 0)
            {
                return port;
            }
        }
        throw new InvalidOperationException($"PostgreSQL did not start.\n{last!.Transcript}\nserver log:\n{ReadLog()}");
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }
        try
        {
            var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
            if (File.Exists(pidFile) &&
                pgCtl.RunUnprivileged(["--pgdata", DataDirectory, "--mode", "immediate", "--wait", "stop"], workingDirectory: root.FullName).ExitCode != 0)
            {
                Kill(pidFile);
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>The postmaster's process id is the pid file's first line.</summary>
    private static void Kill(string pidFile)
    {
        if (int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid))
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    private string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";

    private static string FindBinDirectory()
    {
        var newest = Directory.Exists(PackageRoot)
            ? Directory.GetDirectories(PackageRoot)
                .Where(dir => File.Exists(Path.Combine(dir, "bin", "initdb")))
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(dir), out var version) ? version : 0)
                .FirstOrDefault()
            : null;
        return newest is null
            ? throw RealProgram.Missing($"{PackageRoot}/<version>/bin/initdb (the PostgreSQL server)", ServerPackage)
            : Path.Combine(newest, "bin");
    }
}
