using System.Text.Json.Nodes;

namespace OS2BorgerPC.Deploy.TenantDecisions.Platform;

/// <summary>
/// The AKS cluster's endpoint as the platform exports it: no credential, only where the API server is and which CA
/// signs its certificate (both public facts of the cluster).
/// </summary>
/// <param name="CertificateAuthorityData">The cluster CA, base64 PEM, as a kubeconfig's <c>certificate-authority-data</c>.</param>
public sealed record AksEndpoint(string ClusterName, string Server, string CertificateAuthorityData);

/// <summary>
/// The kubeconfig every program and operator reaches an AKS cluster with: an exec credential plugin, kubelogin, that
/// asks Entra ID for a short-lived token of whoever runs it. It carries no token, key or password, so it is no secret.
/// <para>
/// The login mode pinned here is <c>azurecli</c> (an operator signed in with <c>az login</c>); CI sets
/// <c>AAD_LOGIN_METHOD=workloadidentity</c>, which kubelogin applies over the pinned flag (Azure/kubelogin
/// docs/book/src/concepts/login-modes/devicecode.md), and in GitHub Actions its workload identity mode exchanges the
/// job's own OIDC token for each call (pkg/internal/token/provider.go, githubactionscredential.go).
/// </para>
/// </summary>
public static class AksKubeconfig
{
    /// <summary>
    /// The Entra application of the AKS API server, the same in every Entra tenant: tokens must be issued for it
    /// (Azure/kubelogin docs/book/src/concepts/aks.md; learn.microsoft.com AKS "kubelogin-authentication").
    /// </summary>
    public const string ServerApplicationId = "6dae42f8-4368-4678-94ff-3960e28e3630";

    /// <summary>The login mode of an operator's run.</summary>
    public const string OperatorLogin = "azurecli";

    /// <summary>The login mode CI selects through <see cref="LoginMethodVariable"/>.</summary>
    public const string CiLogin = "workloadidentity";

    /// <summary>kubelogin's environment override of <c>--login</c>.</summary>
    public const string LoginMethodVariable = "AAD_LOGIN_METHOD";

    private const string User = "entra-id";

    /// <summary>The kubeconfig (JSON, which kubeconfig loaders read as YAML) of the cluster at <paramref name="endpoint"/>.</summary>
    public static string For(AksEndpoint endpoint) => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Config",
        ["clusters"] = new JsonArray(new JsonObject
        {
            ["name"] = endpoint.ClusterName,
            ["cluster"] = new JsonObject { ["server"] = endpoint.Server, ["certificate-authority-data"] = endpoint.CertificateAuthorityData },
        }),
        ["contexts"] = new JsonArray(new JsonObject
        {
            ["name"] = endpoint.ClusterName,
            ["context"] = new JsonObject { ["cluster"] = endpoint.ClusterName, ["user"] = User },
        }),
        ["current-context"] = endpoint.ClusterName,
        ["users"] = new JsonArray(new JsonObject
        {
            ["name"] = User,
            ["user"] = new JsonObject
            {
                ["exec"] = new JsonObject
                {
                    ["apiVersion"] = "client.authentication.k8s.io/v1beta1",
                    ["command"] = "kubelogin",
                    ["args"] = new JsonArray("get-token", "--login", OperatorLogin, "--server-id", ServerApplicationId),
                    ["interactiveMode"] = "IfAvailable",
                    ["provideClusterInfo"] = false,
                    ["installHint"] = "Install kubelogin (https://azure.github.io/kubelogin/install.html) and sign in with 'az login'.",
                },
            },
        }),
    }.ToJsonString();
}
