using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Import;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Rendering;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>
/// Every pod that connects to a tenant's database (the app, the backup and pre-upgrade backup CronJob, the Azure app-role
/// Job, and the restore and import Jobs the CLI makes from the same decisions) verifies the server: libpq's
/// sslmode=verify-full with a mounted root certificate of the database, so a server without the database's certificate
/// for the host asked is refused (libpq: "verify-full" checks the chain and that the host name matches the certificate).
/// </summary>
[Collection(PulumiCollection.Name)]
public sealed class DatabaseTlsTests
{
    private static readonly RestoreRun InPlace = new("20261202t190000z", "nightly-20261202T020000Z", Source: null);

    [Fact]
    public async Task Every_app_and_data_job_of_the_98_municipalities_verifies_the_database_certificate()
    {
        var unverified = new List<string>();
        var clients = 0;
        foreach (var municipality in MunicipalityRegister.All)
        {
            var run = await StackHarness.RunMunicipality(municipality);
            var tenant = TenantDecisions.Validation.TenantLoader.Load(
                RepositoryRoot.Workspace().ReadStackText(municipality.Slug, NewTenant.For(municipality).RenderStackFile())).OrThrow();
            foreach (var (owner, pod) in PodsOf(run, tenant))
            {
                var problems = DatabaseClients(owner, pod, out var count);
                unverified.AddRange(problems.Select(problem => $"{municipality.Slug}: {problem}"));
                clients += count;
            }
        }

        // Per tenant at least the app, the backup's dump, the restore's steps and the import.
        clients.ShouldBeGreaterThanOrEqualTo(MunicipalityRegister.All.Count * 6);
        unverified.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("faelles-it")]
    [InlineData("aarhus")]
    public async Task Every_database_client_of_a_shipped_tenant_verifies_the_database_certificate(string stack)
    {
        var run = await StackHarness.RunShipped(stack);
        var problems = new List<string>();
        var clients = 0;
        foreach (var (owner, pod) in PodsOf(run, RepositoryRoot.Tenant(stack)))
        {
            problems.AddRange(DatabaseClients(owner, pod, out var count));
            clients += count;
        }
        problems.ShouldBeEmpty();
        // The app, the backup's dump, the restore's steps (3) and the import; on azure also the app-role Job.
        clients.ShouldBe(RepositoryRoot.Tenant(stack).Hosting == Hosting.Azure ? 7 : 6);
    }

    /// <summary>
    /// Azure flexible server certificates chain to DigiCert Global Root G2 or Microsoft RSA Root Certificate Authority 2017
    /// (learn.microsoft.com azure/postgresql/flexible-server/concepts-networking-ssl-tls): exactly those roots are trusted,
    /// from a ConfigMap the app-role Job (which sends the administrator's token) waits for.
    /// </summary>
    [Fact]
    public async Task An_azure_tenant_trusts_exactly_azures_two_postgres_roots()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var roots = RegisteredObjects.Map(run.InputsOf("kubernetes:core/v1:ConfigMap", "database-roots").Inputs["data"]);
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem((string)roots[DatabaseTls.AzureRoots.Key]);
        bundle.Select(c => c.Subject).ShouldBe([
            "CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US",
            "CN=Microsoft RSA Root Certificate Authority 2017, O=Microsoft Corporation, C=US",
        ], ignoreOrder: true);
        bundle.ShouldAllBe(c => c.Subject == c.Issuer);
        (await run.OptionsOf("kubernetes:batch/v1:Job", AzureAppRoleWorkload).DependencyNames()).ShouldContain("database-roots");
        TemplateRenderer.Source(DatabaseTls.AzureRootsTemplate).ShouldBe((string)roots[DatabaseTls.AzureRoots.Key]);
    }

    private const string AzureAppRoleWorkload = "db-app-role";

    /// <summary>
    /// The pods of a run as manifests, with the restore Jobs (in place and point in time) made from its backup CronJob and
    /// the import Job, as the CLI makes them.
    /// </summary>
    private static IEnumerable<(string Owner, JsonObject Pod)> PodsOf(StackRun run, Tenant tenant)
    {
        foreach (var registered in run.KubernetesObjects.Where(o => o.Type is "kubernetes:apps/v1:Deployment" or "kubernetes:batch/v1:CronJob" or "kubernetes:batch/v1:Job"))
        {
            var manifest = JsonNode.Parse(KubernetesManifest.FromRegistration(registered.Type, registered.Inputs).ShouldNotBeNull().ToJson())!.AsObject();
            yield return ($"{registered.Type} {registered.Name}", PodOf(manifest));
            if (registered.Type == "kubernetes:batch/v1:CronJob" && registered.Name == TenantDecisions.Naming.TenantObjects.Backup)
            {
                foreach (var restore in new[] { InPlace, InPlace with { RecoveredHost = RecoveryCluster.ReadWriteHost } })
                {
                    foreach (var phase in Enum.GetValues<RestorePhase>())
                    {
                        yield return ($"restore {phase} Job ({restore.RecoveredHost ?? "in place"})", PodOf(JsonNode.Parse(RestoreJob.Job(manifest.ToJsonString(), restore, phase))!.AsObject()));
                    }
                }
            }
        }
        var import = ImportManifests.Job(new ImportPlan(tenant, "20250305-020000", DumpFormat.Plain, new MediaArchive(1, 1, "", 0), Replace: false));
        yield return ("import Job", PodOf(JsonNode.Parse(k8s.KubernetesJson.Serialize(import))!.AsObject()));
    }

    private static JsonObject PodOf(JsonObject workload)
    {
        var spec = workload["spec"]!;
        var template = (string)workload["kind"]! == "CronJob" ? spec["jobTemplate"]!["spec"]!["template"]! : spec["template"]!;
        return template["spec"]!.AsObject();
    }

    /// <summary>
    /// Each container that names a database host (PGHOST for libpq programs, DB_HOST for the admin site) must have
    /// PGSSLMODE verify-full and PGSSLROOTCERT at a file its read-only mount projects from the database's root certificate:
    /// CloudNativePG's &lt;cluster&gt;-ca Secret, key ca.crt, for a host &lt;cluster&gt;-rw (cloudnative-pg v1.30.0
    /// api/v1/cluster_funcs.go GetServerCASecretName, GetClusterAltDNSNames), or Azure's roots for a managed server.
    /// </summary>
    private static List<string> DatabaseClients(string owner, JsonObject pod, out int count)
    {
        var problems = new List<string>();
        count = 0;
        var volumes = (pod["volumes"]?.AsArray() ?? []).ToDictionary(v => (string)v!["name"]!, v => v!.AsObject());
        foreach (var container in (pod["initContainers"]?.AsArray() ?? []).Concat(pod["containers"]!.AsArray()).Select(c => c!.AsObject()))
        {
            var env = (container["env"]?.AsArray() ?? []).ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);
            var host = env.GetValueOrDefault("PGHOST") ?? env.GetValueOrDefault("DB_HOST");
            if (host is null)
            {
                continue;
            }
            count++;
            var where = $"{owner}/{container["name"]}";
            if (env.GetValueOrDefault("PGSSLMODE") != "verify-full")
            {
                problems.Add($"{where}: PGSSLMODE is '{env.GetValueOrDefault("PGSSLMODE")}', not verify-full");
            }
            var rootCert = env.GetValueOrDefault("PGSSLROOTCERT") ?? "";
            var mount = (container["volumeMounts"]?.AsArray() ?? []).Select(m => m!.AsObject())
                .FirstOrDefault(m => rootCert == $"{(string)m["mountPath"]!}/{DatabaseTls.CertificateFile}");
            var volume = mount is null ? null : volumes.GetValueOrDefault((string)mount["name"]!);
            var source = volume?["secret"] ?? volume?["configMap"];
            var expected = host.EndsWith("-rw", StringComparison.Ordinal)
                ? $"secret {host[..^3]}-ca"
                : $"configMap {DatabaseTls.AzureRoots.Name}";
            var actual = volume is null ? "nothing" : volume["secret"] is { } secret ? $"secret {secret["secretName"]}" : $"configMap {volume["configMap"]?["name"]}";
            var items = source?["items"]?.ToJsonString();
            if (mount is null || mount["readOnly"]?.GetValue<bool>() != true || actual != expected
                || items != $$"""[{"key":"ca.crt","path":"{{DatabaseTls.CertificateFile}}"}]""")
            {
                problems.Add($"{where}: PGSSLROOTCERT '{rootCert}' is from {actual} ({items}), not a read-only mount of {expected}'s ca.crt for host {host}");
            }
        }
        return problems;
    }
}
