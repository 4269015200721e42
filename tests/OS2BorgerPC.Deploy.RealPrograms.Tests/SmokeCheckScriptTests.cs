using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// The smoke-check Job's script under dash (the curl image's sh is busybox, also POSIX) with the real curl, against a
/// real nginx that answers as the tenant's Service (plain HTTP) and as the platform's Gateway (HTTPS, the tenant's host
/// name as SNI and Host), and a clock that runs out at once: a failing check gives up after its first try.
/// </summary>
public sealed class SmokeCheckScriptTests
{
    private const string Loopback = "127.0.0.1";
    private const string Host = "faelles-it.borgerpc.dk";

    // Every call is 1000 s later than the last.
    private const string FakeDate = """
        #!/bin/sh
        now=$(cat "$FAKE_DIR/clock" 2>/dev/null || echo 1000000)
        echo $((now + 1000)) > "$FAKE_DIR/clock"
        echo "$now"
        """;

    private static readonly Lazy<Tenant> Tenant = new(() => RepositoryRoot.Tenant("faelles-it"));

    private static readonly SmokeCheckPlan Outside = new(GatewayAnswer.Refused, "outside the allow-list (test)");
    private static readonly SmokeCheckPlan MaybeInside = new(GatewayAnswer.RouteAnswers, "maybe inside the allow-list (test)");
    private static readonly SmokeCheckPlan Inside = new(GatewayAnswer.Admitted, "inside the allow-list (test)");

    /// <summary>How nginx answers the login page as the Gateway.</summary>
    public enum Gateway
    {
        /// <summary>Envoy Gateway's SecurityPolicy refusal: 403, body "RBAC: access denied".</summary>
        Guarding,

        /// <summary>A redirect to https://host, as the platform's catch-all answers where the tenant's route is missing.</summary>
        CatchAllRedirect,

        /// <summary>The login page: the route has no allow-list in force.</summary>
        Open,

        /// <summary>No route for the host.</summary>
        NoRoute,
    }

    [Fact]
    public void A_guarding_gateway_passes_where_the_check_is_outside_the_allow_list()
    {
        var run = Run(Outside, Gateway.Guarding);

        run.ShouldSucceed().Output.ShouldContain("faelles-it: ok: login page through the Service");
        run.Output.ShouldContain("ok: XML-RPC through the Service");
        run.Output.ShouldContain("faelles-it: through the Gateway: outside the allow-list (test).");
        run.Output.ShouldContain($"ok: the route refuses this pod through the Gateway (HTTPS, {Host}); the allow-list's Accepted status was awaited");
    }

    [Theory]
    [InlineData(Gateway.CatchAllRedirect, " 301 https://faelles-it.borgerpc.dk/accounts/login/: a redirect, not the tenant's route: the platform's catch-all")]
    [InlineData(Gateway.Open, "200 : the route is open to this pod")]
    [InlineData(Gateway.NoRoute, "404 : the Gateway has no route for faelles-it.borgerpc.dk")]
    public void Anything_but_the_refusal_fails_where_the_check_is_outside_the_allow_list(Gateway gateway, string reason)
    {
        var run = Run(Outside, gateway);

        run.ShouldFail().Error.ShouldContain("faelles-it: FAILED: the route refuses this pod through the Gateway");
        run.Error.ShouldContain(reason);
    }

    [Theory]
    [InlineData(Gateway.Open)]
    [InlineData(Gateway.Guarding)]
    public void The_tenants_own_route_passes_where_the_check_may_be_inside_the_allow_list(Gateway gateway)
    {
        var run = Run(MaybeInside, gateway);

        run.ShouldSucceed().Output.ShouldContain("faelles-it: through the Gateway: maybe inside the allow-list (test).");
        run.Output.ShouldContain($"ok: the tenant's route through the Gateway (HTTPS, {Host})");
    }

    [Theory]
    [InlineData(Gateway.CatchAllRedirect)]
    [InlineData(Gateway.NoRoute)]
    public void The_catch_all_or_no_route_fails_where_the_check_may_be_inside_the_allow_list(Gateway gateway)
    {
        Run(MaybeInside, gateway).ShouldFail().Error.ShouldContain("faelles-it: FAILED: the tenant's route through the Gateway");
    }

    [Fact]
    public void The_login_page_passes_where_the_check_is_inside_the_allow_list()
    {
        var run = Run(Inside, Gateway.Open);

        run.ShouldSucceed().Output.ShouldContain("faelles-it: through the Gateway: inside the allow-list (test).");
        run.Output.ShouldContain($"ok: the login page through the Gateway (HTTPS, {Host}), proving the route and its allow-list in force");
    }

    /// <summary>The platform's Gateway refuses a route whose own allow-list is not in force: inside it, a refusal is that.</summary>
    [Theory]
    [InlineData(Gateway.Guarding, "refused: by the allow-list, or by the Gateway where the tenant's allow-list is not in force")]
    [InlineData(Gateway.CatchAllRedirect, "a redirect, not the tenant's route")]
    [InlineData(Gateway.NoRoute, "the Gateway has no route")]
    public void A_refusal_a_redirect_or_no_route_fails_where_the_check_is_inside_the_allow_list(Gateway gateway, string reason)
    {
        var run = Run(Inside, gateway);

        run.ShouldFail().Error.ShouldContain("faelles-it: FAILED: the login page through the Gateway");
        run.Error.ShouldContain(reason);
    }

    [Fact]
    public void An_admin_site_that_does_not_answer_fails_the_check_before_the_gateway_is_asked()
    {
        var run = Run(Outside, Gateway.Open, serviceUp: false);

        run.ShouldFail().Error.ShouldContain("faelles-it: FAILED: login page through the Service");
        run.Output.ShouldNotContain("through the Gateway");
    }

    [Fact]
    public void An_ipv6_gateway_address_is_bracketed_for_curl()
    {
        var script = OperationScripts.SmokeCheck(Tenant.Value, "2001:db8::10", Outside);

        script.ShouldContain("gateway='[2001:db8::10]'");
        script.ShouldContain($"gateway_port={OperationScripts.GatewayHttpsPort}");
    }

    [Fact]
    public void The_smoke_check_is_valid_shell() =>
        FakeShell.Run(OperationScripts.SmokeCheck(Tenant.Value, Loopback, MaybeInside), new Dictionary<string, string>(), new Dictionary<string, string?>(), syntaxOnly: true)
            .Run.ShouldSucceed();

    private static ProgramRun Run(SmokeCheckPlan plan, Gateway gateway, bool serviceUp = true)
    {
        RealProgram.Find("curl", "curl");
        var nginx = RealProgram.Find("nginx", "nginx");
        var folder = RealProgram.OpenToUnprivileged(Directory.CreateTempSubdirectory("os2bpc-smoke-"));
        var (servicePort, gatewayPort) = (PostgresServer.FreePort(), PostgresServer.FreePort());
        var config = Path.Combine(folder.FullName, "nginx.conf");
        File.WriteAllText(config, NginxConfig(folder.FullName, servicePort, gatewayPort, gateway, serviceUp));
        try
        {
            // Daemonised: the command returns once nginx listens.
            nginx.RunUnprivileged(["-p", $"{folder.FullName}/", "-e", "stderr", "-c", config], workingDirectory: folder.FullName).ShouldSucceed();
            var script = OperationScripts.SmokeCheck(Tenant.Value, Loopback, plan)
                .Replace("service='http://admin-site:80'", $"service='http://{Loopback}:{servicePort}'")
                .Replace($"gateway_port={OperationScripts.GatewayHttpsPort}", $"gateway_port={gatewayPort}");
            return FakeShell.Run(script, new Dictionary<string, string> { ["date"] = FakeDate, ["sleep"] = "#!/bin/sh" }, new Dictionary<string, string?>()).Run;
        }
        finally
        {
            nginx.RunUnprivileged(["-p", $"{folder.FullName}/", "-e", "stderr", "-c", config, "-s", "stop"], workingDirectory: folder.FullName);
            folder.Delete(recursive: true);
        }
    }

    private static string NginxConfig(string folder, int servicePort, int gatewayPort, Gateway gateway, bool serviceUp)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Host}", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var certificate = request.CreateSelfSigned(now, now.AddDays(1));
        File.WriteAllText(Path.Combine(folder, "gateway.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "gateway.key"), key.ExportPkcs8PrivateKeyPem());
        var login = gateway switch
        {
            Gateway.Guarding => "return 403 'RBAC: access denied';",
            Gateway.CatchAllRedirect => $"return 301 https://{Host}{AdminSitePorts.ReadinessPath};",
            Gateway.Open => "return 200 'login';",
            _ => "return 404;",
        };
        var service = serviceUp
            ? $$"""
                server {
                    listen {{Loopback}}:{{servicePort}};
                    location = {{AdminSitePorts.ReadinessPath}} { return 200 'login'; }
                    location = {{AdminSitePorts.XmlRpcPath}} { return 200 '<?xml version="1.0"?><methodResponse></methodResponse>'; }
                }
            """
            : "";
        return $$"""
            pid {{folder}}/nginx.pid;
            events {}
            http {
                access_log off;
                client_body_temp_path {{folder}}/body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
            {{service}}
                server {
                    listen {{Loopback}}:{{gatewayPort}} ssl;
                    server_name {{Host}};
                    ssl_certificate {{folder}}/gateway.crt;
                    ssl_certificate_key {{folder}}/gateway.key;
                    location = {{AdminSitePorts.ReadinessPath}} { {{login}} }
                }
            }
            """;
    }
}
