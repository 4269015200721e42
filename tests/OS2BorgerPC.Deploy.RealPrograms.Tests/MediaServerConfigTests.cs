using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

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

    /// <summary>
    /// Served by nginx for real: an upload under /media/ is served; a restore's folders on the same volume (the one under
    /// way, the files it replaced: RestoreScripts) are not, though the alias would reach them.
    /// </summary>
    [Fact]
    public async Task Uploads_are_served_and_a_restores_folders_are_not()
    {
        var folder = RealProgram.OpenToUnprivileged(Directory.CreateTempSubdirectory("os2bpc-nginx-"));
        var media = folder.CreateSubdirectory("media");
        foreach (var (path, text) in new[] { ("uploads/script.sh", "served"), (".restore-20261203/uploads/script.sh", "restoring"), (".before-restore-20261203/uploads/script.sh", "replaced") })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(media.FullName, path))!);
            await File.WriteAllTextAsync(Path.Combine(media.FullName, path), text);
        }
        var port = PostgresServer.FreePort();
        var config = InScratch(folder, MediaServerConfig.Render(ShippedTenant(ShippedFleet.Value.Entries[0].Stack)))
            .Replace($"listen {AdminSitePorts.MediaServer};", $"listen 127.0.0.1:{port};")
            .Replace($"alias {MediaServerConfig.MediaPath}/;", $"alias {media.FullName}/;");
        var file = WriteConfig(folder, config);
        var nginx = RealProgram.Find("nginx", "nginx");
        try
        {
            // Daemonised: the command returns once nginx listens.
            nginx.RunUnprivileged(["-p", $"{folder.FullName}/", "-e", "stderr", "-c", file], workingDirectory: folder.FullName).ShouldSucceed();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            (await http.GetStringAsync("/media/uploads/script.sh")).ShouldBe("served");
            foreach (var hidden in new[] { "/media/.restore-20261203/uploads/script.sh", "/media/.before-restore-20261203/uploads/script.sh", "/media/%2erestore-20261203/uploads/script.sh" })
            {
                (await http.GetAsync(hidden)).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound, hidden);
            }
        }
        finally
        {
            nginx.RunUnprivileged(["-p", $"{folder.FullName}/", "-e", "stderr", "-c", file, "-s", "stop"], workingDirectory: folder.FullName);
            folder.Delete(recursive: true);
        }
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
        var folder = RealProgram.OpenToUnprivileged(Directory.CreateTempSubdirectory("os2bpc-nginx-"));
        try
        {
            return nginx.RunUnprivileged(["-t", "-p", $"{folder.FullName}/", "-e", "stderr", "-c", WriteConfig(folder, InScratch(folder, config))], workingDirectory: folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The pod mounts an emptyDir at /tmp for the pid file and temp folders, which nginx creates: a folder of the
    /// test stands in for it, so nothing outside the test is touched.
    /// </summary>
    private static string InScratch(DirectoryInfo folder, string config) =>
        config.Replace(" /tmp/", $" {RealProgram.OpenToUnprivileged(folder.CreateSubdirectory("tmp")).FullName}/");

    private static string WriteConfig(DirectoryInfo folder, string config)
    {
        var file = Path.Combine(folder.FullName, "nginx.conf");
        File.WriteAllText(file, config);
        return file;
    }
}
