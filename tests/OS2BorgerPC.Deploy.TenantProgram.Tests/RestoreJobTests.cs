using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Rendering;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>
/// The restore Job (applied by <c>tenant restore</c>, not by the program) is made from the backup CronJob the program
/// really creates: it must read the repository with the backup's access, reach the database with the app's login,
/// write /media as the app, and carry nothing a step does not need.
/// </summary>
[Collection(PulumiCollection.Name)]
public sealed class RestoreJobTests
{
    private static readonly RestoreRun InPlace = new("20261202t190000z", "nightly-20261202T020000Z", Source: null);

    [Theory]
    [InlineData("demo")]
    [InlineData("faelles-it")]
    [InlineData("aarhus")]
    public async Task The_restore_job_runs_with_the_backups_access_the_apps_login_and_as_the_app(string stack)
    {
        var (cronJob, fetchJob, job) = await RestoreJobOf(stack, InPlace);
        var backupPod = cronJob["spec"]!["jobTemplate"]!["spec"]!["template"]!;
        var fetchPod = fetchJob["spec"]!["template"]!["spec"]!;
        var pod = job["spec"]!["template"]!["spec"]!;

        // Two Jobs: the fetch while the admin site serves, the load once it is stopped.
        Names(fetchPod["initContainers"]).ShouldBeEmpty();
        Names(fetchPod["containers"]).ShouldBe([RestoreJob.FetchStep]);
        Names(pod["initContainers"]).ShouldBe([RestoreJob.DatabaseStep]);
        Names(pod["containers"]).ShouldBe([RestoreJob.MediaStep]);
        var fetch = Step(fetchPod, RestoreJob.FetchStep);
        var database = Step(pod, RestoreJob.DatabaseStep);
        var media = Step(pod, RestoreJob.MediaStep);
        // The restore runs the backup's own images, pulled where the backup pulls them (upstream, or through the
        // platform's registry mirror, whose host stands before the upstream reference).
        var backupImages = backupPod["spec"]!["initContainers"]!.AsArray().Concat(backupPod["spec"]!["containers"]!.AsArray())
            .Select(c => (string)c!["image"]!).ToList();
        ((string)fetch["image"]!).ShouldEndWith(Images.Restic);
        ((string)database["image"]!).ShouldEndWith(Images.Postgres);
        backupImages.ShouldContain((string)fetch["image"]!);
        backupImages.ShouldContain((string)database["image"]!);

        // The repository and its access exactly as the backup's upload; the database login as the backup's dump.
        var upload = Env(Container(backupPod["spec"]!["containers"]!, "upload"));
        var dump = Env(Container(backupPod["spec"]!["initContainers"]!, "dump"));
        foreach (var name in upload.Keys.Where(n => n.StartsWith("RESTIC_", StringComparison.Ordinal) || n.StartsWith("AWS_", StringComparison.Ordinal) || n.StartsWith("AZURE_", StringComparison.Ordinal)))
        {
            Env(fetch)[name].ToJsonString().ShouldBe(upload[name].ToJsonString(), name);
        }
        foreach (var name in dump.Keys.Where(n => n.StartsWith("PG", StringComparison.Ordinal)))
        {
            Env(database)[name].ToJsonString().ShouldBe(dump[name].ToJsonString(), name);
        }
        // Each step holds only what it needs: no database password where the repository is read, and neither in the media step.
        Env(fetch).Keys.ShouldNotContain("PGPASSWORD");
        // Its own repository is locked as the backup locks it: a nightly prune cannot remove what the restore reads.
        Env(fetch).Keys.ShouldNotContain("RESTIC_READ_ONLY");
        Env(database).Keys.ShouldNotContain("RESTIC_PASSWORD");
        Env(media).Keys.Where(n => n.StartsWith("PG", StringComparison.Ordinal) || n.StartsWith("RESTIC", StringComparison.Ordinal) || n.StartsWith("AWS", StringComparison.Ordinal))
            .ShouldBeEmpty();
        foreach (var step in new[] { fetch, database, media })
        {
            ((string)Env(step)["RESTORE_KEEP_AS"]!["value"]!).ShouldBe("before_restore_20261202t190000z");
            ((string)Env(step)["RESTORE_ROOT"]!["value"]!).ShouldBe("/media/.restore-20261202t190000z");
            Env(step).Keys.ShouldNotContain("RESTORE_INTO_FRESH");
            step["securityContext"]!.AsObject().ContainsKey("runAsUser").ShouldBeFalse();
        }

        // The same ServiceAccount, identity and network labels as the backup; as the app's user; /media writable.
        ((string?)pod["serviceAccountName"]).ShouldBe((string?)backupPod["spec"]!["serviceAccountName"]);
        foreach (var (label, value) in backupPod["metadata"]!["labels"]!.AsObject())
        {
            ((string?)job["spec"]!["template"]!["metadata"]!["labels"]![label]).ShouldBe((string?)value, label);
        }
        ((int)pod["securityContext"]!["runAsUser"]!).ShouldBe(AdminSitePorts.AppUid);
        ((int)pod["securityContext"]!["fsGroup"]!).ShouldBe(AdminSitePorts.AppUid);
        var mediaVolume = pod["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "media")!;
        mediaVolume.ToJsonString().ShouldNotContain("readOnly");
        var backupMedia = Container(backupPod["spec"]!["volumes"]!, "media");
        ((string?)mediaVolume["persistentVolumeClaim"]?["claimName"]).ShouldBe((string?)backupMedia["persistentVolumeClaim"]?["claimName"]);
        mediaVolume["csi"]?["volumeAttributes"]?.ToJsonString().ShouldBe(backupMedia["csi"]?["volumeAttributes"]?.ToJsonString());
        (mediaVolume["persistentVolumeClaim"] ?? mediaVolume["csi"]).ShouldNotBeNull();
        // Never retried, and bounded, each by its own deadline, so they count against the Jobs' quota, not the app's.
        ((int)job["spec"]!["backoffLimit"]!).ShouldBe(0);
        ((int)fetchJob["spec"]!["backoffLimit"]!).ShouldBe(0);
        ((int)pod["activeDeadlineSeconds"]!).ShouldBe(RestoreJob.LoadDeadlineSeconds);
        ((int)fetchPod["activeDeadlineSeconds"]!).ShouldBe(RestoreJob.FetchDeadlineSeconds);
        ((string)job["metadata"]!["name"]!).ShouldBe("restore-20261202t190000z");
        ((string)fetchJob["metadata"]!["name"]!).ShouldBe("restore-fetch-20261202t190000z");
        ((string)fetchJob["spec"]!["template"]!["metadata"]!["labels"]!["app.kubernetes.io/component"]!).ShouldBe(RestoreJob.Component);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("faelles-it")]
    public async Task A_restore_into_another_tenant_reads_the_sources_repository_with_the_copied_access_only(string stack)
    {
        var run = InPlace with { Source = new RestoreSource("source", "s3:https://s3.example.test/bucket/tenants/source/restic") };
        var (cronJob, fetchJob, job) = await RestoreJobOf(stack, run);
        var pod = job["spec"]!["template"]!["spec"]!;
        var fetch = Env(Step(fetchJob["spec"]!["template"]!["spec"]!, RestoreJob.FetchStep));

        ((string)fetch["RESTIC_REPOSITORY"]!["value"]!).ShouldBe(run.Source.Repository);
        ((string)fetch["RESTIC_PASSWORD"]!["valueFrom"]!["secretKeyRef"]!["name"]!).ShouldBe("restore-source-20261202t190000z");
        var usesKeys = cronJob.ToJsonString().Contains("AWS_ACCESS_KEY_ID");
        fetch.ContainsKey("AWS_ACCESS_KEY_ID").ShouldBe(usesKeys);
        if (usesKeys)
        {
            ((string)fetch["AWS_ACCESS_KEY_ID"]!["valueFrom"]!["secretKeyRef"]!["name"]!).ShouldBe(run.SourceSecret);
            ((string)fetch["AWS_SECRET_ACCESS_KEY"]!["valueFrom"]!["secretKeyRef"]!["name"]!).ShouldBe(run.SourceSecret);
        }
        ((string)fetch["RESTORE_INTO_FRESH"]!["value"]!).ShouldBe("yes");
        foreach (var step in new[] { RestoreJob.DatabaseStep, RestoreJob.MediaStep })
        {
            ((string)Env(Step(pod, step))["RESTORE_INTO_FRESH"]!["value"]!).ShouldBe("yes");
        }
        // The source's repository is only read: no restic lock is written into it.
        ((string)fetch["RESTIC_READ_ONLY"]!["value"]!).ShouldBe("yes");
    }

    /// <summary>
    /// A drill from an Azure Blob repository (the drill stack names the source in backup.drillFrom): both Jobs run as the
    /// drill's ServiceAccount, which the same stack makes and federates with the drill identity only, never as the
    /// backup's, whose identity may write the drill tenant's own container.
    /// </summary>
    [Fact]
    public async Task A_drill_from_an_azure_blob_repository_runs_as_the_drill_service_account_its_stack_makes()
    {
        var stack = await StackHarness.Run("aarhus", RepositoryRoot.StackText("aarhus").Replace("    backup: {}", "    backup:\n      drillFrom: faelles-it"));
        var cronJob = CronJobOf(stack);
        var run = InPlace with { Source = new RestoreSource("faelles-it", "azure:tenant-faelles-it:/restic") };

        foreach (var phase in new[] { RestorePhase.Fetch, RestorePhase.Load })
        {
            var job = JsonNode.Parse(RestoreJob.Job(cronJob, run, phase))!;
            ((string?)job["spec"]!["template"]!["spec"]!["serviceAccountName"]).ShouldBe(OffSiteBackup.DrillServiceAccount, phase.ToString());
            ((string?)job["spec"]!["template"]!["metadata"]!["labels"]!["azure.workload.identity/use"]).ShouldBe("true");
        }
        stack.InputsOf("kubernetes:core/v1:ServiceAccount", "drill-service-account").Inputs.ShouldNotBeNull();
        var drillId = await stack.Single<Pulumi.Azure.Authorization.UserAssignedIdentity>("drill-identity").Id.Value();
        stack.Inputs.Where(i => i.Type.EndsWith("FederatedIdentityCredential", StringComparison.Ordinal) && i.Inputs.GetValueOrDefault("parentId") as string == drillId)
            .Select(i => (string)i.Inputs["subject"]).ShouldBe([$"system:serviceaccount:os2borgerpc-aarhus:{OffSiteBackup.DrillServiceAccount}"]);
        // An S3 source is read with the copied key, as the backup's ServiceAccount.
        var s3 = JsonNode.Parse(RestoreJob.Job(cronJob, InPlace with { Source = new RestoreSource("faelles-it", "s3:https://s3.example.test/b/tenants/faelles-it/restic") }, RestorePhase.Fetch))!;
        ((string?)s3["spec"]!["template"]!["spec"]!["serviceAccountName"]).ShouldBe(OffSiteBackup.ServiceAccount);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("faelles-it")]
    public async Task A_point_in_time_restore_dumps_the_recovered_cluster_and_takes_only_media_from_the_restore_point(string stack)
    {
        var run = InPlace with { RecoveredHost = RecoveryCluster.ReadWriteHost };
        var (_, fetchJob, job) = await RestoreJobOf(stack, run);
        var fetchPod = fetchJob["spec"]!["template"]!["spec"]!;
        var pod = job["spec"]!["template"]!["spec"]!;

        // The dump reads the recovered cluster: it is fetched while the admin site serves.
        Names(fetchPod["initContainers"]).ShouldBe([RestoreJob.FetchStep]);
        Names(fetchPod["containers"]).ShouldBe([RestoreJob.DumpStep]);
        Names(pod["initContainers"]).ShouldBe([RestoreJob.DatabaseStep]);
        ((string)Env(Step(fetchPod, RestoreJob.FetchStep))["RESTORE_PARTS"]["value"]!).ShouldBe("media");
        var dump = Env(Step(fetchPod, RestoreJob.DumpStep));
        ((string)dump["PGHOST"]["value"]!).ShouldBe("database-pitr-rw");
        ((string)dump["BACKUP_ROOT"]["value"]!).ShouldBe(run.SideFolder);
        dump.Keys.ShouldContain("SCRATCH_LIMIT_BYTES");
        ((string)Env(Step(pod, RestoreJob.DatabaseStep))["PGHOST"]["value"]!).ShouldBe("database-rw");
        RestoreJob.ScriptConfigMap(run, "ns").ShouldContain("backup-dump.sh");
    }

    /// <summary>--no-media: the database only; the fetch takes the dump alone, nothing moves /media, and a point in time fetches nothing.</summary>
    [Theory]
    [InlineData("demo")]
    [InlineData("faelles-it")]
    public async Task A_database_only_restore_leaves_media_alone(string stack)
    {
        var (_, fetched, backup) = await RestoreJobOf(stack, InPlace with { WithMedia = false });
        var fetchPod = fetched["spec"]!["template"]!["spec"]!;
        var pod = backup["spec"]!["template"]!["spec"]!;
        Names(fetchPod["containers"]).ShouldBe([RestoreJob.FetchStep]);
        Names(pod["initContainers"]).ShouldBeEmpty();
        Names(pod["containers"]).ShouldBe([RestoreJob.DatabaseStep]);
        ((string)Env(Step(fetchPod, RestoreJob.FetchStep))["RESTORE_PARTS"]["value"]!).ShouldBe("database");

        var pitr = InPlace with { Point = null, WithMedia = false, RecoveredHost = RecoveryCluster.ReadWriteHost };
        var (_, dumped, recovered) = await RestoreJobOf(stack, pitr);
        Names(dumped["spec"]!["template"]!["spec"]!["containers"]).ShouldBe([RestoreJob.DumpStep]);
        pod = recovered["spec"]!["template"]!["spec"]!;
        Names(pod["initContainers"]).ShouldBeEmpty();
        Names(pod["containers"]).ShouldBe([RestoreJob.DatabaseStep]);
        JsonNode.Parse(RestoreJob.ScriptConfigMap(pitr, "ns"))!["data"]!.AsObject().Select(d => d.Key).ShouldBe(["backup-dump.sh", "restore-database.sh"]);
    }

    /// <summary>
    /// The recovery cluster is the running Cluster's spec (image, resources, login role, inherited labels the
    /// NetworkPolicies select, ServiceAccount template) bootstrapped from its own object-store folder up to the
    /// time asked, archiving nowhere; on Azure its ServiceAccount is federated with the tenant's backup identity.
    /// </summary>
    [Theory]
    [InlineData("demo")]
    [InlineData("faelles-it")]
    public async Task The_recovery_cluster_recovers_from_the_running_clusters_folder_as_that_cluster_and_archives_nowhere(string stack)
    {
        var run = await StackHarness.RunShipped(stack);
        var registered = run.InputsOf("kubernetes:postgresql.cnpg.io/v1:Cluster", "database");
        var running = JsonNode.Parse(KubernetesManifest.FromRegistration(registered.Type, registered.Inputs).ShouldNotBeNull().ToJson())!;

        var recovery = JsonNode.Parse(RecoveryCluster.Manifest(running.ToJsonString(), new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero), generation: 1))!;

        ((string)recovery["metadata"]!["name"]!).ShouldBe("database-pitr");
        var spec = recovery["spec"]!.AsObject();
        spec.ContainsKey("plugins").ShouldBeFalse();
        ((int)spec["instances"]!).ShouldBe(1);
        // One instance: CNPG's primary PDB (minAvailable 1, cloudnative-pg v1.30.0 pkg/specs/poddisruptionbudget.go) would block drains.
        ((bool)spec["enablePDB"]!).ShouldBeFalse();
        spec["bootstrap"]!.ToJsonString().ShouldBe("""{"recovery":{"source":"origin","recoveryTarget":{"targetTime":"2026-12-01T09:30:00Z"}}}""");
        var origin = spec["externalClusters"]!.AsArray().Single()!;
        ((string)origin["name"]!).ShouldBe("origin");
        // Through the Barman Cloud plugin from the running cluster's ObjectStore (plugin-barman-cloud v0.13.0 web/docs/usage.md "Restoring a Cluster").
        origin["plugin"]!.ToJsonString().ShouldBe("""{"name":"barman-cloud.cloudnative-pg.io","parameters":{"barmanObjectName":"offsite","serverName":"database"}}""");
        ((string)running["spec"]!["plugins"]![0]!["parameters"]!["barmanObjectName"]!).ShouldBe("offsite");
        foreach (var kept in new[] { "imageName", "resources", "managed", "inheritedMetadata", "serviceAccountTemplate", "storage" })
        {
            spec[kept]?.ToJsonString().ShouldBe(running["spec"]![kept]?.ToJsonString(), kept);
        }
        ((string)spec["inheritedMetadata"]!["labels"]!["app.kubernetes.io/name"]!).ShouldBe("postgres");
        if (spec["serviceAccountTemplate"]!.ToJsonString().Contains("azure.workload.identity/client-id", StringComparison.Ordinal))
        {
            run.Inputs.Where(i => i.Type.EndsWith("FederatedIdentityCredential", StringComparison.Ordinal))
                .Select(i => (string)i.Inputs["subject"]).ShouldContain($"system:serviceaccount:{RepositoryRoot.Tenant(stack).Names.Namespace}:database-pitr");
        }
    }

    /// <returns>The backup CronJob, the restore's fetch Job and its load Job.</returns>
    private static async Task<(JsonObject CronJob, JsonObject Fetch, JsonObject Load)> RestoreJobOf(string stack, RestoreRun restore)
    {
        var cronJob = CronJobOf(await StackHarness.RunShipped(stack));
        return (JsonNode.Parse(cronJob)!.AsObject(),
            JsonNode.Parse(RestoreJob.Job(cronJob, restore, RestorePhase.Fetch))!.AsObject(),
            JsonNode.Parse(RestoreJob.Job(cronJob, restore, RestorePhase.Load))!.AsObject());
    }

    private static string CronJobOf(StackRun run)
    {
        var registered = run.InputsOf("kubernetes:batch/v1:CronJob", "backup");
        return KubernetesManifest.FromRegistration(registered.Type, registered.Inputs).ShouldNotBeNull().ToJson();
    }

    private static JsonObject Step(JsonNode pod, string name) =>
        Container(pod["initContainers"]!, name) is { } init && init.Count > 0 ? init : Container(pod["containers"]!, name);

    private static JsonObject Container(JsonNode list, string name) =>
        list.AsArray().Select(c => c!.AsObject()).FirstOrDefault(c => (string?)c["name"] == name) ?? [];

    private static List<string> Names(JsonNode? list) => [.. list!.AsArray().Select(c => (string)c!["name"]!)];

    private static Dictionary<string, JsonObject> Env(JsonNode container) =>
        container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!.AsObject());
}
