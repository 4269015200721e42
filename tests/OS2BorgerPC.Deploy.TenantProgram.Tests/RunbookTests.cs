using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.TenantProgram.Components;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Core.V1;
using YamlDotNet.RepresentationModel;
using Deployment = Pulumi.Kubernetes.Apps.V1.Deployment;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>The runbook's restore pod and commands name what the program really provisions.</summary>
[Collection(PulumiCollection.Name)]
public sealed partial class RunbookTests
{
    private static readonly string Runbook = File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "docs", "RUNBOOK.md"));

    [Fact]
    public async Task The_restore_pod_mounts_the_tenants_claims_and_reads_the_database_password_from_its_secret()
    {
        // The restore from a backup volume is for a tenant that still has the retired backups claim.
        var run = await StackHarness.RunShippedWithRetiredBackupsClaim("demo");
        var pod = RestorePod();
        var spec = (YamlMappingNode)pod["spec"];
        var containers = ((YamlSequenceNode)spec["containers"]).Cast<YamlMappingNode>().ToDictionary(c => c["name"].ToString());

        var claims = run.Resources.OfType<PersistentVolumeClaim>().Select(c => c.GetResourceName()).ToList();
        foreach (YamlMappingNode volume in (YamlSequenceNode)spec["volumes"])
        {
            claims.ShouldContain(((YamlMappingNode)volume["persistentVolumeClaim"])["claimName"].ToString());
        }
        var env = ((YamlSequenceNode)containers["database"]["env"]).Cast<YamlMappingNode>().ToDictionary(e => e["name"].ToString());
        env["PGHOST"]["value"].ToString().ShouldBe(OS2BorgerPC.Deploy.TenantDecisions.Backup.CloudNativePg.ReadWriteService);
        env["PGUSER"]["value"].ToString().ShouldBe("os2borgerpc");
        var password = (YamlMappingNode)((YamlMappingNode)env["PGPASSWORD"]["valueFrom"])["secretKeyRef"];
        password["name"].ToString().ShouldBe(TenantSecrets.SecretName);
        password["key"].ToString().ShouldBe(TenantSecrets.DatabasePasswordKey);
        ((YamlMappingNode)((YamlMappingNode)pod["metadata"])["labels"])[TenantObjects.NameLabel].ToString().ShouldBe(Workloads.Backup,
            "the network policies let only the admin site and the backup job reach the database");
    }

    [Fact]
    public void The_restore_pod_passes_the_restricted_profile_and_runs_as_the_images_users()
    {
        var spec = (YamlMappingNode)RestorePod()["spec"];
        var podSecurity = (YamlMappingNode)spec["securityContext"];
        podSecurity["runAsNonRoot"].ToString().ShouldBe("true");
        ((YamlMappingNode)podSecurity["seccompProfile"])["type"].ToString().ShouldBe("RuntimeDefault");
        podSecurity["fsGroup"].ToString().ShouldBe(AdminSitePorts.AppUid.ToString());

        var users = new Dictionary<string, int> { ["database"] = Images.PostgresUid, ["media"] = AdminSitePorts.AppUid };
        foreach (YamlMappingNode container in (YamlSequenceNode)spec["containers"])
        {
            var security = (YamlMappingNode)container["securityContext"];
            container["image"].ToString().ShouldBe(Images.Postgres);
            security["allowPrivilegeEscalation"].ToString().ShouldBe("false");
            ((YamlSequenceNode)((YamlMappingNode)security["capabilities"])["drop"]).Single().ToString().ShouldBe("ALL");
            security["runAsUser"].ToString().ShouldBe(users[container["name"].ToString()].ToString());
        }
    }

    [Fact]
    public async Task Every_workload_the_runbooks_commands_name_exists()
    {
        var run = await StackHarness.RunShipped("demo");
        var workloads = run.Resources.OfType<Deployment>().Select(d => $"deployment/{d.GetResourceName()}")
            .Concat(run.Resources.OfType<CronJob>().Select(c => $"cronjob/{c.GetResourceName()}"));

        WorkloadReference().Matches(Runbook).Select(m => m.Value).Distinct().ShouldBeSubsetOf(workloads);
        Runbook.ShouldContain("NS=os2borgerpc-$SLUG");
    }

    private static YamlMappingNode RestorePod()
    {
        var manifest = RestorePodManifest().Match(Runbook);
        manifest.Success.ShouldBeTrue("docs/RUNBOOK.md has no restore pod manifest");
        var yaml = string.Join('\n', manifest.Groups["yaml"].Value.Split('\n').Select(line => line.Length >= 3 ? line[3..] : line));
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    [GeneratedRegex(@"apply -f - <<'EOF'\n(?<yaml>.*?)\n +EOF", RegexOptions.Singleline)]
    private static partial Regex RestorePodManifest();

    [GeneratedRegex(@"\b(deployment|cronjob)/[a-z-]+")]
    private static partial Regex WorkloadReference();
}
