using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>What holds a database's root certificate in the tenant namespace.</summary>
public enum DatabaseCaKind
{
    /// <summary>A Secret the database's operator makes (CloudNativePG's <c>&lt;cluster&gt;-ca</c>).</summary>
    Secret,

    /// <summary>A ConfigMap the kit makes from a public certificate bundle (Azure's roots).</summary>
    ConfigMap,
}

/// <summary>A root certificate (PEM) a pod mounts to verify its database: key <paramref name="Key"/> of the object <paramref name="Name"/>.</summary>
public sealed record DatabaseCa(DatabaseCaKind Kind, string Name, string Key);

/// <summary>
/// Every connection of the app and of the data jobs verifies the database's certificate: libpq's
/// <c>sslmode=verify-full</c> checks the chain against the mounted root certificate and the host name against the
/// certificate's names, so neither a stranger's server nor a man in the middle is accepted (libpq's default
/// <c>prefer</c> encrypts without checking either). Both go in as libpq's environment variables PGSSLMODE and
/// PGSSLROOTCERT, which libpq takes for every parameter the connection string leaves unset (PostgreSQL docs,
/// libpq-envars): the admin site's Django settings set only <c>connect_timeout</c> in OPTIONS
/// (OS2borgerPC/os2borgerpc-admin-site v7.0.1, admin_site/os2borgerpc_admin/settings.py, psycopg 3.1.18), and the
/// jobs' psql, pg_dump and pg_restore read the same variables.
/// </summary>
public static class DatabaseTls
{
    public const string SslMode = "verify-full";

    /// <summary>The pod volume holding the root certificate, and where every container mounts it (read-only).</summary>
    public const string Volume = "database-ca";
    public const string MountPath = "/etc/os2borgerpc/database-ca";

    /// <summary>The file name in the mount: the object's key (only that key is projected, never a CA's private key).</summary>
    public const string CertificateFile = "ca.crt";

    public const string RootCertPath = $"{MountPath}/{CertificateFile}";

    /// <summary>
    /// CloudNativePG keeps its cluster CA in the Secret <c>&lt;cluster&gt;-ca</c>, key <c>ca.crt</c> (cloudnative-pg
    /// v1.30.0 api/v1/cluster_types.go DefaultServerCaSecretSuffix, pkg/certs/certs.go CACertKey,
    /// docs/src/certificates.md "Server CA secret"). The same Secret holds <c>ca.key</c>: pods project <c>ca.crt</c> only.
    /// </summary>
    public static DatabaseCa CloudNativePgCa(string cluster) => new(DatabaseCaKind.Secret, $"{cluster}-ca", "ca.crt");

    /// <summary>
    /// Azure Database for PostgreSQL flexible server certificates chain to DigiCert Global Root G2 or Microsoft RSA Root
    /// Certificate Authority 2017 (learn.microsoft.com azure/postgresql/flexible-server/concepts-networking-ssl-tls,
    /// "Root CAs used by Azure Database for PostgreSQL"; intermediates rotate, roots stay, so only the roots are trusted).
    /// The kit ships both (templates/azure-postgres-roots.pem, from Debian's ca-certificates) in a ConfigMap rather than
    /// relying on the image's store: the postgres image has no ca-certificates package (docker-library/postgres#1331),
    /// and psycopg's wheel brings its own OpenSSL, whose default store path need not be the image's.
    /// </summary>
    public static readonly DatabaseCa AzureRoots = new(DatabaseCaKind.ConfigMap, "azure-postgres-roots", "ca.crt");

    /// <summary>The bundle of <see cref="AzureRoots"/>, in templates/.</summary>
    public const string AzureRootsTemplate = "azure-postgres-roots.pem";

    /// <summary>The root certificate of a tenant's database by hosting.</summary>
    public static DatabaseCa For(Tenant tenant) => tenant.Hosting == Hosting.Azure ? AzureRoots : CloudNativePgCa(CloudNativePg.ClusterName);

    /// <summary>libpq's variables that make a connection verify the server against the root certificate at <paramref name="rootCertPath"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Environment(string rootCertPath = RootCertPath) =>
    [
        new("PGSSLMODE", SslMode),
        new("PGSSLROOTCERT", rootCertPath),
    ];
}
