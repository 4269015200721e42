using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Security;

/// <summary>The kubeconfig of an AKS platform: an exec plugin that asks Entra ID, never a stored credential.</summary>
public sealed class AksKubeconfigTests
{
    private static readonly AksEndpoint Endpoint = new("aks-os2bpc-prod", "https://aks-os2bpc-prod.hcp.westeurope.azmk8s.io:443", "LS0tLS1CRUdJTg==");

    [Fact]
    public void It_names_the_server_and_its_ca_and_signs_in_through_kubelogin_for_the_aks_server_application()
    {
        var config = JsonNode.Parse(AksKubeconfig.For(Endpoint))!;

        config["current-context"]!.GetValue<string>().ShouldBe("aks-os2bpc-prod");
        var cluster = config["clusters"]![0]!["cluster"]!;
        cluster["server"]!.GetValue<string>().ShouldBe(Endpoint.Server);
        cluster["certificate-authority-data"]!.GetValue<string>().ShouldBe(Endpoint.CertificateAuthorityData);
        var exec = config["users"]![0]!["user"]!["exec"]!;
        exec["command"]!.GetValue<string>().ShouldBe("kubelogin");
        // The AKS Entra server application, the same in every tenant (Azure/kubelogin docs/book/src/concepts/aks.md).
        exec["args"]!.AsArray().Select(a => a!.GetValue<string>())
            .ShouldBe(["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]);
        config["users"]![0]!["user"]!.AsObject().Select(p => p.Key).ShouldBe(["exec"], "no token, key or password beside the plugin");
    }

    [Fact]
    public void The_scan_for_static_credentials_finds_them_in_yaml_and_json_and_none_in_the_exec_kubeconfig()
    {
        StaticCredentials.In(AksKubeconfig.For(Endpoint)).ShouldBeEmpty();
        StaticCredentials.In("users:\n- name: admin\n  user:\n    token: abc\n").ShouldBe(["token"]);
        StaticCredentials.In("""{"users":[{"name":"a","user":{"client-key-data":"LS0t"}}]}""").ShouldBe(["client-key-data"]);
    }
}
