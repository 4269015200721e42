using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// The smoke-check Job's script under dash (the curl image's sh is busybox, also POSIX), against a fake curl
/// that answers as the tenant's Service and the platform's Gateway would, and a clock that runs out at once.
/// </summary>
public sealed class SmokeCheckScriptTests
{
    private const string GatewayAddress = "203.0.113.10";

    // FAKE_SERVICE: up or down. FAKE_GATEWAY: redirect, rbac (the allow-list's refusal) or noroute.
    private const string FakeCurl = """
        #!/bin/sh
        echo "curl $*" >> "$FAKE_LOG"
        case "$*" in
            *"http://admin-site:80/accounts/login/"*) [ "$FAKE_SERVICE" = up ] && printf 200 || { printf 000; exit 7; } ;;
            *"http://admin-site:80/admin-xml/"*) [ "$FAKE_SERVICE" = up ] && printf '<?xml version="1.0"?><methodResponse></methodResponse>' || exit 7 ;;
            *":80:"*)
                case "$FAKE_GATEWAY" in
                    redirect) printf ' 301 https://faelles-it.borgerpc.dk/accounts/login/' ;;
                    rbac) printf 'RBAC: access denied 403 ' ;;
                    *) printf ' 404 ' ;;
                esac ;;
            *":443:"*) printf 000; exit 60 ;;
            *) exit 2 ;;
        esac
        """;

    // Every call is 1000 s later than the last: a failing check gives up after its first try.
    private const string FakeDate = """
        #!/bin/sh
        now=$(cat "$FAKE_DIR/clock" 2>/dev/null || echo 1000000)
        echo $((now + 1000)) > "$FAKE_DIR/clock"
        echo "$now"
        """;

    private static readonly Lazy<Tenant> Tenant = new(() => RepositoryRoot.Tenant("faelles-it"));

    [Theory]
    [InlineData("redirect")]
    [InlineData("rbac")]
    public void A_working_site_and_a_guarded_route_pass(string gateway)
    {
        var (run, calls) = Run("up", gateway);

        run.ShouldSucceed().Output.ShouldContain("faelles-it: ok: login page through the Service");
        run.Output.ShouldContain("ok: XML-RPC through the Service");
        run.Output.ShouldContain("ok: the tenant's route on the Gateway");
        run.Output.ShouldContain("HTTPS through the Gateway: 000");
        calls.ShouldContain(c => c.Contains("--header Host: faelles-it.borgerpc.dk") && c.EndsWith("http://admin-site:80/accounts/login/"));
        calls.ShouldContain(c => c.Contains($"--connect-to faelles-it.borgerpc.dk:80:{GatewayAddress}:80") && c.EndsWith("http://faelles-it.borgerpc.dk/accounts/login/"));
    }

    [Fact]
    public void A_gateway_without_the_tenants_route_fails_the_check()
    {
        var (run, _) = Run("up", "noroute");

        run.ShouldFail().Error.ShouldContain("faelles-it: FAILED: the tenant's route on the Gateway");
        run.Error.ShouldContain("404");
    }

    [Fact]
    public void An_admin_site_that_does_not_answer_fails_the_check_before_the_gateway_is_asked()
    {
        var (run, calls) = Run("down", "redirect");

        run.ShouldFail().Error.ShouldContain("faelles-it: FAILED: login page through the Service");
        calls.ShouldNotContain(c => c.Contains("--connect-to"));
    }

    [Fact]
    public void An_ipv6_gateway_address_is_bracketed_for_curl()
    {
        var script = OperationScripts.SmokeCheck(Tenant.Value, "2001:db8::10");

        script.ShouldContain("gateway='[2001:db8::10]'");
    }

    [Fact]
    public void The_smoke_check_is_valid_shell()
    {
        var (run, _) = Run("up", "redirect", syntaxOnly: true);

        run.ShouldSucceed();
    }

    private static (ProgramRun Run, string[] Calls) Run(string service, string gateway, bool syntaxOnly = false) =>
        FakeShell.Run(OperationScripts.SmokeCheck(Tenant.Value, GatewayAddress),
            new Dictionary<string, string> { ["curl"] = FakeCurl, ["date"] = FakeDate, ["sleep"] = "#!/bin/sh" },
            new Dictionary<string, string?> { ["FAKE_SERVICE"] = service, ["FAKE_GATEWAY"] = gateway },
            syntaxOnly);
}
