using System.Security.Cryptography;
using System.Text;

namespace OS2BorgerPC.Deploy.TenantDecisions.Naming;

/// <summary>
/// Every platform name of one tenant, derived once and deterministically from its slug (and, for the
/// globally unique Azure names, the fleet id, so two suppliers' fleets never claim the same name).
/// </summary>
public sealed record TenantNames
{
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string PartOfValue = "os2borgerpc";
    public const string TenantLabel = "os2borgerpc.dk/tenant";

    public required string Namespace { get; init; }
    public required string ResourceGroup { get; init; }
    public required string PostgresServer { get; init; }
    public required string StorageAccount { get; init; }
    public required string MediaShare { get; init; }
    public required string BackupShare { get; init; }
    public required string DatabaseName { get; init; }
    public required string DatabaseUser { get; init; }

    /// <summary>The labels every resource of the tenant carries.</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    public static TenantNames For(string slug, string fleetId)
    {
        var hash = ShortHash($"{fleetId}/{slug}");
        var compact = new string(slug.Where(char.IsAsciiLetterOrDigit).ToArray());
        return new TenantNames
        {
            // Kubernetes: DNS-1123 label, at most 63 characters (12 + 30).
            Namespace = $"os2borgerpc-{slug}",
            // Azure resource group: at most 90 characters.
            ResourceGroup = $"rg-os2borgerpc-{slug}",
            // PostgreSQL flexible server: 3-63 lowercase letters, digits, hyphens; globally unique.
            PostgresServer = $"psql-os2bpc-{slug}-{hash}",
            // Storage account: 3-24 lowercase letters and digits; globally unique (6 + at most 12 + 6).
            StorageAccount = $"os2bpc{compact[..Math.Min(12, compact.Length)]}{hash}",
            // Azure Files shares: 3-63 lowercase letters, digits, single hyphens.
            MediaShare = $"{slug}-media",
            BackupShare = $"{slug}-backups",
            DatabaseName = "os2borgerpc",
            DatabaseUser = "os2borgerpc",
            Labels = new Dictionary<string, string>
            {
                [PartOfLabel] = PartOfValue,
                [TenantLabel] = slug,
            },
        };
    }

    /// <summary>Six lowercase hex digits of SHA-256: stable across runs and machines.</summary>
    internal static string ShortHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..6];
}
