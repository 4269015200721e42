using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests.Support;

/// <summary>
/// A CA and a server certificate as CloudNativePG issues them for a cluster: an ECDSA P-256 CA named after the cluster
/// (OU its namespace) signing the server's certificate, whose names are the cluster's Services as seen from the
/// namespace, with the namespace, with .svc and fully qualified (cloudnative-pg v1.30.0 api/v1/cluster_funcs.go
/// GetClusterAltDNSNames; pkg/certs/certs.go CreateRootCA, CreateAndSignPair).
/// </summary>
public static class ServerCertificate
{
    public const string Cluster = "database";
    public const string Namespace = "tenant-tls";
    public const string CaFile = "ca.crt";
    public const string CertificateFile = "server.crt";
    public const string KeyFile = "server.key";

    /// <summary>The names CNPG puts in the server certificate of <see cref="Cluster"/> (read-write, read and read-only Services).</summary>
    public static IReadOnlyList<string> Names =>
    [
        .. new[] { "-rw", "-r", "-ro" }.SelectMany(suffix => new[]
        {
            $"{Cluster}{suffix}",
            $"{Cluster}{suffix}.{Namespace}",
            $"{Cluster}{suffix}.{Namespace}.svc",
            $"{Cluster}{suffix}.{Namespace}.svc.cluster.local",
        }),
    ];

    /// <summary>Writes the CA into <paramref name="folder"/> and the server's certificate and key into the server's data folder (the key as its owner only, as PostgreSQL demands).</summary>
    public static void Issue(string folder, string dataDirectory)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={Cluster}, OU={Namespace}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var ca = caRequest.CreateSelfSigned(now, now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest($"CN={Cluster}-rw", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in Names)
        {
            names.AddDnsName(name);
        }
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, now, now.AddDays(1), RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(Path.Combine(folder, CaFile), ca.ExportCertificatePem());
        // Written beside the CA, then copied by the server's own user into its data folder, where only it reads the key.
        File.WriteAllText(Path.Combine(folder, CertificateFile), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, KeyFile), serverKey.ExportPkcs8PrivateKeyPem());
        RealProgram.Find("sh", "dash").RunUnprivileged(["-c", "cp \"$1/$3\" \"$1/$4\" \"$2/\" && chmod 600 \"$2/$4\"", "sh", folder, dataDirectory, CertificateFile, KeyFile])
            .ShouldSucceed();
        File.Delete(Path.Combine(folder, KeyFile));
    }
}
