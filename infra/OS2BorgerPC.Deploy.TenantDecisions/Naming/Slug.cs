using System.Text;
using System.Text.RegularExpressions;

namespace OS2BorgerPC.Deploy.TenantDecisions.Naming;

/// <summary>
/// A tenant's slug: its stack name and the root of every derived name. Short enough that every derived
/// name fits the tightest platform limit, and a DNS-1123 label so it can be used as-is in Kubernetes.
/// </summary>
public static partial class Slug
{
    public const int MaxLength = 30;

    public const string Rule = "2-30 characters: lowercase letters a-z, digits and single hyphens, starting with a letter and ending with a letter or digit";

    public static bool IsValid(string slug) => Pattern().IsMatch(slug) && !slug.Contains("--", StringComparison.Ordinal);

    /// <summary>A slug from a Danish name: æ->ae, ø->oe, å->aa, spaces and punctuation to single hyphens.</summary>
    public static string FromName(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            text.Append(c switch
            {
                'æ' => "ae",
                'ø' => "oe",
                'å' => "aa",
                'é' => "e",
                'ü' => "ue",
                'ö' => "oe",
                'ä' => "ae",
                _ when c is >= 'a' and <= 'z' or >= '0' and <= '9' => c.ToString(),
                _ => "-",
            });
        }
        var slug = Hyphens().Replace(text.ToString(), "-").Trim('-');
        return slug.Length <= MaxLength ? slug : slug[..MaxLength].TrimEnd('-');
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,28}[a-z0-9]$")]
    private static partial Regex Pattern();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Hyphens();
}
