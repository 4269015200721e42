using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using static OS2BorgerPC.Deploy.TenantProgram.Tests.Testing.RegisteredObjects;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>Every municipality's program, as `tenant new` would create it: what its CloudNativePG database lets the platform do.</summary>
[Collection(PulumiCollection.Name)]
public sealed class DatabaseFleetTests
{
    /// <summary>
    /// CNPG makes a primary PDB with minAvailable 1 unless enablePDB is false (cloudnative-pg v1.30.0,
    /// pkg/specs/poddisruptionbudget.go, api/v1/cluster_types.go enablePDB); with one instance no switchover can
    /// satisfy it, so the node could never be drained (docs/src/kubernetes_upgrade.md).
    /// </summary>
    [Fact]
    public async Task No_single_instance_cluster_of_the_98_municipalities_blocks_a_node_drain()
    {
        var blocking = new List<string>();
        var clusters = 0;
        foreach (var municipality in MunicipalityRegister.All)
        {
            var run = await StackHarness.RunMunicipality(municipality);
            foreach (var cluster in run.OfType(CnpgCluster))
            {
                clusters++;
                var spec = cluster.Spec();
                if (spec.Int("instances") == 1 && spec["enablePDB"] is not false)
                {
                    blocking.Add($"{municipality.Slug}/{cluster.Name}");
                }
            }
        }

        clusters.ShouldBeGreaterThan(0);
        blocking.ShouldBeEmpty();
    }

    /// <summary>
    /// A tenant whose cluster was lost is re-created with the next generation: the new cluster archives into a folder
    /// of its own, so Barman Cloud's empty-archive check before its first WAL ("Expected empty archive",
    /// plugin-barman-cloud v0.14.0 internal/cnpgi/common/wal.go) passes, and the old generation's folder stays as it was.
    /// </summary>
    [Fact]
    public async Task A_recreated_cluster_archives_where_no_earlier_generation_of_the_tenant_did()
    {
        var stack = RepositoryRoot.StackText("demo");
        var first = ArchiveOf(await StackHarness.Run("demo", stack));
        var second = ArchiveOf(await StackHarness.Run("demo", stack.Replace("    backup: {}", "    backup:\n      databaseGeneration: 2")));

        first.ShouldBe(first with { ServerName = "database" });
        second.ShouldBe(first with { ServerName = "database-g2" });
    }

    /// <summary>
    /// The app starts once the Cluster's Ready condition is True: Pulumi waits on it by the pulumi.com/waitFor annotation
    /// (pulumi-kubernetes v4.32.0 provider/pkg/await/condition), CNPG sets it (cloudnative-pg v1.30.0 api/v1/cluster_types.go
    /// ConditionClusterReady "Ready"). CNPG watches Secrets labelled cnpg.io/reload (pkg/utils WatchedLabelName), so a
    /// rotated login password is applied at once.
    /// </summary>
    [Fact]
    public async Task The_app_waits_for_the_ready_database_and_a_rotated_login_is_applied_at_once()
    {
        var run = await StackHarness.RunShipped("demo");

        var cluster = Map(run.InputsOf(CnpgCluster, "database").Inputs["metadata"]);
        Map(cluster["annotations"])["pulumi.com/waitFor"].ShouldBe("condition=Ready");
        (await run.OptionsOf("kubernetes:apps/v1:Deployment", "admin-site").DependencyNames()).ShouldContain("database");
        var login = Map(run.InputsOf("kubernetes:core/v1:Secret", "login").Inputs["metadata"]);
        Map(login["labels"])["cnpg.io/reload"].ShouldBe("true");
    }

    /// <summary>
    /// The in-tree barmanObjectStore is removed in CloudNativePG 1.31.0 (cloudnative-pg v1.30.0 docs/src/release_notes/v1.30.md):
    /// every cluster archives through the Barman Cloud plugin (spec.plugins, isWALArchiver) into an ObjectStore of its own
    /// namespace (plugin-barman-cloud v0.13.0 web/docs/usage.md), and its ScheduledBackup goes through the plugin too.
    /// </summary>
    [Fact]
    public async Task No_cluster_of_the_98_municipalities_uses_the_removed_in_tree_barman_object_store()
    {
        var problems = new List<string>();
        foreach (var municipality in MunicipalityRegister.All)
        {
            var run = await StackHarness.RunMunicipality(municipality);
            if (run.KubernetesObjects.Any(o => TenantDecisions.Rendering.KubernetesManifest.FromRegistration(o.Type, o.Inputs)?.ToJson().Contains("barmanObjectStore", StringComparison.Ordinal) == true))
            {
                problems.Add($"{municipality.Slug}: barmanObjectStore");
            }
            foreach (var cluster in run.OfType(CnpgCluster))
            {
                var archiver = cluster.Spec().Maps("plugins").SingleOrDefault(p => p["isWALArchiver"] is true);
                var store = archiver is null ? null : (string)archiver.Child("parameters")["barmanObjectName"];
                if (archiver?["name"] as string != "barman-cloud.cloudnative-pg.io"
                    || !run.OfType(ObjectStore).Any(o => (string)Map(o.Inputs["metadata"])["name"] == store && o.Namespace() == cluster.Namespace()))
                {
                    problems.Add($"{municipality.Slug}/{cluster.Name}: archives through no ObjectStore of its namespace");
                }
                // The RPO's timeout, set explicitly (CNPG's default is the same: cloudnative-pg v1.30.0 pkg/postgres/configuration.go).
                if (cluster.Spec().Child("postgresql").Child("parameters")["archive_timeout"] as string != "5min")
                {
                    problems.Add($"{municipality.Slug}/{cluster.Name}: archive_timeout is not 5min");
                }
            }
            foreach (var backup in run.OfType(CnpgScheduledBackup))
            {
                var spec = backup.Spec();
                if ((string)spec["method"] != "plugin" || (string)spec.Child("pluginConfiguration")["name"] != "barman-cloud.cloudnative-pg.io")
                {
                    problems.Add($"{municipality.Slug}/{backup.Name}: not through the plugin");
                }
            }
        }

        problems.ShouldBeEmpty();
    }

    private sealed record Archive(string DestinationPath, string ServerName);

    private static Archive ArchiveOf(StackRun run)
    {
        var parameters = run.OfType(CnpgCluster).Single().Spec().Maps("plugins").Single().Child("parameters");
        var store = run.OfType(ObjectStore).Single(o => (string)Map(o.Inputs["metadata"])["name"] == (string)parameters["barmanObjectName"]);
        return new Archive((string)store.Spec().Child("configuration")["destinationPath"], (string)parameters["serverName"]);
    }
}
