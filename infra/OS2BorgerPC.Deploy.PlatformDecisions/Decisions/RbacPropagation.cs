namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>
/// A role assignment takes effect only after it propagates: Azure RBAC's troubleshooting guide
/// (learn.microsoft.com/azure/role-based-access-control/troubleshooting, "Role assignment changes are not being
/// detected") names up to 10 minutes, longer for a group. A data-plane call made sooner gets 403. So whoever runs the
/// platform waits, in code, until the data plane answers them: before the secrets key is created (Key Vault Crypto
/// Officer) and before <c>pulumi up</c> ends (Storage Blob Data Contributor on the state container, which the next step
/// of "From zero", <c>pulumi login azblob://</c> and <c>stack import</c>, needs). The checks run the Azure CLI the
/// operator is signed in with; they name resources, never a secret.
/// </summary>
public static class RbacPropagation
{
    public const int IntervalSeconds = 10;

    /// <summary>Fifteen minutes: the documented ten, and a margin for a group's assignment.</summary>
    public const int Attempts = 90;

    public const string StateBlobRole = "Storage Blob Data Contributor";

    /// <summary>Waits until the signed-in principal may list the vault's keys (a data-plane read the officer role allows).</summary>
    public static string KeyVaultScript(string vault) => Script(
        $"az keyvault key list --vault-name '{vault}' --maxresults 1 -o none",
        $"Key Vault Crypto Officer on {vault} has not reached you.",
        "Run 'az login' again (a fresh token) and 'pulumi up' again.");

    /// <summary>Waits until the signed-in principal may list the state container's blobs with Entra ID (shared keys are off).</summary>
    public static string StateContainerScript(string account, string container) => Script(
        $"az storage blob list --auth-mode login --account-name '{account}' --container-name '{container}' --num-results 1 -o none",
        $"{StateBlobRole} on {account}/{container} has not reached you.",
        "Check that your account is a member of the operators' group (azure.operatorGroupObjectId), run 'az login' again and 'pulumi up' again.");

    private static string Script(string check, string problem, string fix) => $"""
        i=0
        until {check} 2>/dev/null; do
          i=$((i+1))
          if [ "$i" -ge {Attempts} ]; then
            echo "{problem} Waited {Attempts * IntervalSeconds / 60} minutes for the role assignment to propagate. {fix}" >&2
            exit 1
          fi
          sleep {IntervalSeconds}
        done
        """;
}
