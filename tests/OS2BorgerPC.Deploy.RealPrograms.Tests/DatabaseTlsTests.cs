using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// The kit's database connection (<see cref="DatabaseTls"/>: PGSSLMODE verify-full, PGSSLROOTCERT the mounted CA) against a
/// real PostgreSQL whose certificate is made as CloudNativePG makes it (<see cref="ServerCertificate"/>): libpq connects to
/// the read-write Service by the name the app uses, and refuses a server whose certificate does not name the host asked
/// or is signed by another CA.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseTlsTests(PostgresServer server)
{
    private const string Encrypted = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    [Fact]
    public void The_kits_connection_reaches_the_read_write_service_encrypted_and_verified()
    {
        var app = Kit(server.CreateAppDatabase(), CloudNativePg.ReadWriteService, server.CaFile);

        server.Query(app, Encrypted).ShouldBe("t");
    }

    /// <summary>A server at the app's address whose certificate is for another host (here: another Service of the cluster's CA) is refused.</summary>
    [Fact]
    public void A_certificate_that_does_not_name_the_host_is_refused()
    {
        var app = Kit(server.CreateAppDatabase(), RecoveryCluster.ReadWriteHost, server.CaFile);

        server.TryQuery(app, Encrypted).ShouldFail().Error.ShouldContain($"does not match host name \"{RecoveryCluster.ReadWriteHost}\"");
    }

    /// <summary>Another CA's root (here Azure's, as an azure tenant mounts it) does not vouch for the cluster's server.</summary>
    [Fact]
    public void A_server_signed_by_another_ca_is_refused()
    {
        var roots = Path.Combine(Path.GetTempPath(), $"os2bpc-roots-{Guid.NewGuid():N}.pem");
        File.WriteAllText(roots, TemplateRenderer.Source(DatabaseTls.AzureRootsTemplate));
        try
        {
            var app = Kit(server.CreateAppDatabase(), CloudNativePg.ReadWriteService, roots);

            server.TryQuery(app, Encrypted).ShouldFail().Error.ShouldContain("certificate verify failed");
        }
        finally
        {
            File.Delete(roots);
        }
    }

    /// <summary>The app's login to the server on loopback, under the Service name <paramref name="host"/>, with the kit's TLS settings.</summary>
    private static Connection Kit(Connection app, string host, string rootCert) =>
        app with { Host = host, HostAddress = "127.0.0.1", Extra = DatabaseTls.Environment(rootCert) };
}
