namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>
/// How one generated password is made: the arguments of Pulumi.Random's <c>RandomPassword</c>. The minimums
/// are what make a password valid by construction rather than by luck.
/// </summary>
/// <param name="Length">Characters in all.</param>
/// <param name="MinUpper">At least this many of A-Z.</param>
/// <param name="MinLower">At least this many of a-z.</param>
/// <param name="MinNumeric">At least this many of 0-9.</param>
/// <param name="Special">The special characters the generator may use (its <c>overrideSpecial</c>); empty for none.</param>
/// <param name="MinSpecial">At least this many of <paramref name="Special"/>.</param>
public sealed record PasswordRule(int Length, int MinUpper, int MinLower, int MinNumeric, string Special, int MinSpecial)
{
    public const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string Lower = "abcdefghijklmnopqrstuvwxyz";
    public const string Digits = "0123456789";

    public bool UsesSpecial => Special.Length > 0;

    /// <summary>Every character the generator may put in.</summary>
    public string Alphabet => Upper + Lower + Digits + Special;

    /// <summary>Character categories (upper, lower, digit, non-alphanumeric) every generated password holds.</summary>
    public int GuaranteedCategories => new[] { MinUpper, MinLower, MinNumeric, MinSpecial }.Count(min => min > 0);
}

/// <summary>
/// The kit's generated passwords. Azure Database for PostgreSQL requires an administrator password of 8 to 128
/// characters with characters from three of four categories (upper, lower, digit, non-alphanumeric) and
/// without the login name in it; PostgreSQL accepts any text. The passwords also travel through environment
/// variables, connection URLs and unquoted shell words, so the only special characters are URL-unreserved
/// ones that no shell or URL parser treats specially inside a word (RFC 3986 "-" and "_" minus the
/// leading-dash risk: "_" only).
/// </summary>
public static class PasswordPolicy
{
    /// <summary>URL-safe, shell-safe, SQL-literal-safe.</summary>
    public const string UrlSafeSpecial = "_";

    /// <summary>Azure's administrator password length limits.</summary>
    public const int AzureMinLength = 8, AzureMaxLength = 128;

    /// <summary>The database login's password: the Azure administrator's, the in-cluster server's, the app role's.</summary>
    public static readonly PasswordRule Database = new(32, MinUpper: 2, MinLower: 2, MinNumeric: 2, UrlSafeSpecial, MinSpecial: 0);

    /// <summary>The bootstrap admin's first password (the municipality changes it at first sign-in).</summary>
    public static readonly PasswordRule BootstrapAdmin = new(24, MinUpper: 2, MinLower: 2, MinNumeric: 2, UrlSafeSpecial, MinSpecial: 0);

    /// <summary>Django's SECRET_KEY: long, and any printable character Django accepts; never in a URL or a shell word.</summary>
    public static readonly PasswordRule DjangoSecretKey = new(64, MinUpper: 1, MinLower: 1, MinNumeric: 1, "!#%()*+-.:;<=>?@[]^_{|}~", MinSpecial: 1);

    /// <summary>Whether Azure Database for PostgreSQL accepts <paramref name="password"/> for <paramref name="login"/>.</summary>
    public static bool MeetsAzureRule(string password, string login)
    {
        if (password.Length is < AzureMinLength or > AzureMaxLength || password.Contains(login, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var categories = new[]
        {
            password.Any(char.IsAsciiLetterUpper),
            password.Any(char.IsAsciiLetterLower),
            password.Any(char.IsAsciiDigit),
            password.Any(c => !char.IsAsciiLetterOrDigit(c)),
        };
        return categories.Count(has => has) >= 3;
    }

    /// <summary>Whether every character of <paramref name="password"/> is safe unquoted in a URL, an env file and a shell word.</summary>
    public static bool IsUrlSafe(string password) =>
        password.All(c => char.IsAsciiLetterOrDigit(c) || UrlSafeSpecial.Contains(c));
}
