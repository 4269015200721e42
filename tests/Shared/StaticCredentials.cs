using System.Text.RegularExpressions;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>
/// Static cluster credentials in what a program hands out: a kubeconfig (YAML or JSON) whose user carries a token, a
/// client key or a password, rather than an exec plugin that asks Entra ID each time.
/// </summary>
public static partial class StaticCredentials
{
    /// <summary>The kubeconfig user fields that hold a credential (kubernetes/client-go tools/clientcmd/api/v1 AuthInfo).</summary>
    [GeneratedRegex("""(^|[\s{,"])(token|tokenFile|client-key|client-key-data|password)"?\s*:\s*"?[^\s",}]""", RegexOptions.Multiline)]
    private static partial Regex CredentialField();

    /// <summary>The credential fields of <paramref name="text"/> where it is a kubeconfig (it names users); none otherwise.</summary>
    public static IEnumerable<string> In(string text) =>
        text.Contains("users", StringComparison.Ordinal) ? CredentialField().Matches(text).Select(m => m.Groups[2].Value) : [];
}
