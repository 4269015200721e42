using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.Tenants.Fleet;
using OS2BorgerPC.Deploy.Tenants.Model;
using OS2BorgerPC.Deploy.Tenants.Templates;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>The media server's nginx.conf, as each tenant gets it, is accepted by nginx itself.</summary>
public sealed class MediaServerConfigTests
{
    // The image nginxinc/nginx-unprivileged has this file; on Debian it comes with nginx.
    private const string MimeTypes = "/etc/nginx/mime.types";

    private static readonly Lazy<FleetReport> ShippedFleet =
        new(() => FleetLoader.Load(RepositoryRoot.Workspace()));

    public static TheoryData<string> ShippedStacks() => new(ShippedFleet.Value.Entries.Select(e => e.Stack));

    [Theory]
    [MemberData(nameof(ShippedStacks))]
    public void Every_shipped_tenant_gets_a_config_nginx_accepts(string stack) =>
        ShouldPass(MediaServerConfig.Render(ShippedTenant(stack)));

    [Theory]
    [InlineData(1)]
    [InlineData(2048)]
    public void Any_allowed_body_limit_gives_a_config_nginx_accepts(int mib)
    {
        var tenant = ShippedTenant(ShippedFleet.Value.Entries[0].Stack);
        var config = MediaServerConfig.Render(tenant with { Gateway = tenant.Gateway with { BodyLimitMiB = mib } });

        config.ShouldContain($"client_max_body_size {mib}m;");
        ShouldPass(config);
    }

    /// <summary>The check can fail: a config nginx would refuse at start is refused here.</summary>
    [Theory]
    [InlineData("unclosed block")]
    [InlineData("invalid value")]
    [InlineData("missing include")]
    public void A_broken_config_fails_the_check(string breakage)
    {
        var config = MediaServerConfig.Render(ShippedTenant(ShippedFleet.Value.Entries[0].Stack));
        var broken = breakage switch
        {
            "unclosed block" => config.TrimEnd()[..^1],
            "invalid value" => config.Replace("sendfile on;", "sendfile maybe;"),
            _ => config.Replace(MimeTypes, "/etc/nginx/no-such-mime.types"),
        };
        broken.ShouldNotBe(config);

        var run = NginxTest(broken).ShouldFail();

        run.Error.ShouldContain("[emerg]");
    }

    private static Tenant ShippedTenant(string stack)
    {
        var result = ShippedFleet.Value.Entries.Single(e => e.Stack == stack).Result;
        result.Problems.ShouldBeEmpty(string.Join('\n', result.Problems));
        return result.Tenant.ShouldNotBeNull();
    }

    private static void ShouldPass(string config)
    {
        var run = NginxTest(config).ShouldSucceed();
        run.Error.ShouldContain("test is successful", customMessage: run.Transcript);
        // A warning at start (e.g. a "user" directive in a non-root container) is a defect too.
        run.Error.ShouldNotContain("[warn]", customMessage: run.Transcript);
    }

    /// <summary>nginx -t as the container runs nginx: not as root, with the config as its main file.</summary>
    private static ProgramRun NginxTest(string config)
    {
        var nginx = RealProgram.Find("nginx", "nginx");
        if (!File.Exists(MimeTypes))
        {
            throw RealProgram.Missing(MimeTypes, "nginx-common");
        }
        var folder = Directory.CreateTempSubdirectory("os2bpc-nginx-");
        try
        {
            RealProgram.OpenToUnprivileged(folder);
            // The pod mounts an emptyDir at /tmp for the pid file and temp folders, which nginx -t creates:
            // a folder of the test stands in for it, so nothing outside the test is touched.
            var scratch = RealProgram.OpenToUnprivileged(folder.CreateSubdirectory("tmp"));
            var file = Path.Combine(folder.FullName, "nginx.conf");
            File.WriteAllText(file, config.Replace(" /tmp/", $" {scratch.FullName}/"));
            return nginx.RunUnprivileged(["-t", "-p", $"{folder.FullName}/", "-e", "stderr", "-c", file], workingDirectory: folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
