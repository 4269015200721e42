using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>Where backups go, the CloudNativePG decisions, restore points and the restore plan with its refusals.</summary>
public sealed class DataSafetyTests(TempRepository repository) : IClassFixture<TempRepository>
{
    private static readonly DateTimeOffset Now = new(2025, 3, 5, 2, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The plugin sets no resources on its sidecar itself (plugin-barman-cloud v0.13.0 internal/cnpgi/operator/lifecycle_resources.go:
    /// only the ObjectStore's instanceSidecarConfiguration.resources). Users report a 128Mi limit OOM-killed during base
    /// backups, a peak of 254 MiB (cozystack/cozystack#4220), and 512Mi passing (siutsin/otaru#2723): the kit's limit stays above that peak.
    /// </summary>
    [Fact]
    public void The_archiver_sidecar_has_a_memory_limit_above_the_base_backup_peaks_users_report()
    {
        var sidecar = CloudNativePg.ArchiverSidecar;

        sidecar.MemoryLimitMiB.ShouldBeGreaterThanOrEqualTo(2 * 254);
        sidecar.MemoryRequestMiB.ShouldBeGreaterThanOrEqualTo(64, "the idle sidecar (~44-64 MiB reported)");
        sidecar.CpuLimitMilli.ShouldBeGreaterThan(sidecar.CpuRequestMilli);
    }

    [Fact]
    public void On_azure_each_tenant_has_its_own_container_reached_by_workload_identity_without_a_key()
    {
        var tenant = Tenant(Hosting.Kubernetes);

        var backup = OffSiteBackup.For(tenant, RecordedPlatform.Azure.Backup);

        backup.Credentials.ShouldBe(BackupCredentials.WorkloadIdentity);
        backup.Location.ShouldBe($"tenant-{tenant.Slug}");
        backup.ResticRepository.ShouldBe($"azure:tenant-{tenant.Slug}:/restic");
        backup.ResticEnvironment.ShouldBe(new Dictionary<string, string> { ["AZURE_ACCOUNT_NAME"] = "stos2bpcbackupprod" });
        backup.BarmanDestination.ShouldBe($"https://stos2bpcbackupprod.blob.core.windows.net/tenant-{tenant.Slug}/cnpg");
        (backup.CredentialsSecret, backup.BarmanEndpoint).ShouldBe((null, null));
    }

    [Fact]
    public void On_s3_each_tenant_has_its_own_prefix_and_the_platforms_credentials_secret()
    {
        var tenant = Tenant(Hosting.Kubernetes);

        var backup = OffSiteBackup.For(tenant, RecordedPlatform.Cluster.Backup);

        backup.Credentials.ShouldBe(BackupCredentials.S3Keys);
        backup.ResticRepository.ShouldBe($"s3:https://s3.backup.example.dk/os2borgerpc-backups/tenants/{tenant.Slug}/restic");
        backup.ResticEnvironment.ShouldBe(new Dictionary<string, string> { ["AWS_DEFAULT_REGION"] = "eu-north-1" });
        backup.BarmanDestination.ShouldBe($"s3://os2borgerpc-backups/tenants/{tenant.Slug}/cnpg");
        (backup.BarmanEndpoint, backup.CredentialsSecret).ShouldBe(("https://s3.backup.example.dk", "backup-s3-credentials"));
    }

    [Theory]
    [InlineData("small", 1)]
    [InlineData("medium", 2)]
    [InlineData("large", 3)]
    public void The_cnpg_cluster_has_instances_by_tier_and_backs_up_off_site_for_the_retention_window(string size, int instances)
    {
        var tenant = repository.Open().Load(StackFile.Kubernetes().Set("tenant.size", size)).ShouldBeValid();

        var cluster = CloudNativePg.For(tenant, OffSiteBackup.For(tenant, RecordedPlatform.Cluster.Backup), RecordedPlatform.Cluster);

        cluster.Instances.ShouldBe(instances);
        (cluster.Database, cluster.Owner, cluster.LoginSecret).ShouldBe(("os2borgerpc", "os2borgerpc", "database-login"));
        cluster.RetentionPolicy.ShouldBe($"{tenant.Backup.RetentionDays}d");
        cluster.BaseBackupSchedule.ShouldBe($"0 {tenant.Backup.Schedule}");
        CloudNativePg.ReadWriteService.ShouldBe("database-rw");
        (cluster.Generation, cluster.ServerName).ShouldBe((1, "database"));
    }

    /// <summary>
    /// Barman Cloud refuses to archive into a folder that already holds WAL ("Expected empty archive",
    /// plugin-barman-cloud v0.14.0 internal/cnpgi/common/wal.go, check.go): a re-created cluster (the next generation)
    /// archives into a folder of its own, beside its predecessors'; the first keeps CNPG's default, the cluster's name.
    /// </summary>
    [Fact]
    public void A_recreated_cluster_archives_into_a_folder_no_earlier_generation_used()
    {
        var first = repository.Open().Load(StackFile.Kubernetes()).ShouldBeValid();
        var third = repository.Open().Load(StackFile.Kubernetes().Set("tenant.backup.databaseGeneration", "3")).ShouldBeValid();

        var before = CloudNativePg.For(first, OffSiteBackup.For(first, RecordedPlatform.Cluster.Backup), RecordedPlatform.Cluster);
        var after = CloudNativePg.For(third, OffSiteBackup.For(third, RecordedPlatform.Cluster.Backup), RecordedPlatform.Cluster);

        (before.ServerName, after.ServerName).ShouldBe(("database", "database-g3"));
        after.Backup.BarmanDestination.ShouldBe(before.Backup.BarmanDestination);
        Enumerable.Range(1, 50).Select(CloudNativePg.ServerNameOf).ShouldBeUnique();
        Should.Throw<ArgumentOutOfRangeException>(() => CloudNativePg.ServerNameOf(0));
    }

    [Fact]
    public void A_point_in_time_from_a_generation_the_tenant_never_had_is_refused()
    {
        var tenant = repository.Open().Load(StackFile.Kubernetes().Set("tenant.backup.databaseGeneration", "2")).ShouldBeValid();
        var points = Facts([Point("nightly-20250301T020000Z")]);

        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-3), null, true, Generation: 3, WithMedia: true), points).Refusals.ShouldBe(
            [$"{tenant.Slug} has no database generation 3: its cluster is generation 2 (backup.databaseGeneration), and generations 1 to 2 are the ones that archived."]);
        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-3), null, true, Generation: 0, WithMedia: true), points).Refused.ShouldBeTrue();
        RestorePlan.For(new RestoreRequest(tenant, "nightly-20250301T020000Z", null, null, true, Generation: 1, WithMedia: true), points).Refusals.ShouldBe(
            ["--generation chooses the database archive a point in time (--at) is recovered from; a restore point (--backup) has none."]);
        var older = RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-3), null, true, Generation: 1, WithMedia: true), points);
        older.Refused.ShouldBeFalse();
        older.Steps[0].ShouldContain("from the archive of cluster generation 1 ");
        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-3), null, true, WithMedia: true), points).Steps[0].ShouldContain("from the archive of cluster generation 2 ");
    }

    /// <summary>
    /// CNPG makes a primary PDB with minAvailable 1 for every cluster, one instance too, and a single-instance cluster
    /// cannot switch over, so its PDB blocks the node's drain (cloudnative-pg v1.30.0, pkg/specs/poddisruptionbudget.go
    /// BuildPrimaryPodDisruptionBudget; docs/src/kubernetes_upgrade.md): small runs without PDBs, medium and large keep them.
    /// </summary>
    [Theory]
    [InlineData("small", false)]
    [InlineData("medium", true)]
    [InlineData("large", true)]
    public void Only_clusters_that_can_switch_over_keep_cnpgs_pod_disruption_budgets(string size, bool budgets)
    {
        var tenant = repository.Open().Load(StackFile.Kubernetes().Set("tenant.size", size)).ShouldBeValid();

        var cluster = CloudNativePg.For(tenant, OffSiteBackup.For(tenant, RecordedPlatform.Cluster.Backup), RecordedPlatform.Cluster);

        cluster.PodDisruptionBudgets.ShouldBe(budgets);
        (cluster.Instances > 1).ShouldBe(budgets);
    }

    [Theory]
    [InlineData("0 3 * * *", "0 0 3 * * *")]
    [InlineData("30 1 * * 1-5", "0 30 1 * * 1-5")]
    public void Cnpg_schedules_get_a_seconds_field(string five, string six) => CloudNativePg.SixFieldSchedule(five).ShouldBe(six);

    [Fact]
    public void A_schedule_that_is_not_five_fields_is_refused() =>
        Should.Throw<ArgumentException>(() => CloudNativePg.SixFieldSchedule("@daily"));

    [Fact]
    public void Restore_points_are_read_from_the_kits_snapshot_names_and_nothing_else()
    {
        const string json = """
            [{"time":"2025-03-01T02:00:00Z","tags":["nightly","at:20250301T020000Z","name:nightly-20250301T020000Z"],"id":"a"},
             {"time":"2025-02-20T10:00:00Z","tags":["restore-point","at:20250220T100000Z","name:pre-upgrade-7.2.0-20250220T100000Z","version:7.2.0"],"id":"b"},
             {"time":"2025-02-21T10:00:00Z","tags":["someone-elses"],"id":"c"},
             {"time":"2025-02-22T10:00:00Z","tags":["name:not-ours"],"id":"d"}]
            """;

        var points = RestorePoint.FromResticSnapshots(json);

        points.ShouldBe(
        [
            new RestorePoint("pre-upgrade-7.2.0-20250220T100000Z", BackupKind.PreUpgrade, "7.2.0", new DateTimeOffset(2025, 2, 20, 10, 0, 0, TimeSpan.Zero)),
            new RestorePoint("nightly-20250301T020000Z", BackupKind.Nightly, null, new DateTimeOffset(2025, 3, 1, 2, 0, 0, TimeSpan.Zero)),
        ]);
    }

    [Fact]
    public void The_overview_gives_the_age_of_the_last_backup_and_calls_a_missed_night_overdue()
    {
        var fresh = BackupOverview.Of([Point("nightly-20250305T010000Z")], Now);
        var stale = BackupOverview.Of([Point("nightly-20250303T020000Z")], Now);

        (fresh.LastBackupAge, fresh.Overdue).ShouldBe((TimeSpan.FromHours(1), false));
        (stale.LastBackupAge, stale.Overdue).ShouldBe((TimeSpan.FromDays(2), true));
        BackupOverview.Of([], Now).ShouldBe(new BackupOverview([], null, true));
    }

    [Fact]
    public void A_restore_of_an_existing_point_prints_its_plan_and_leaves_the_old_data_untouched()
    {
        var tenant = Tenant(Hosting.Kubernetes);
        var point = Point("pre-upgrade-7.2.0-20250220T100000Z");

        var plan = RestorePlan.For(new RestoreRequest(tenant, point.Name, null, null, Yes: true, WithMedia: true), Facts([point]));

        plan.Refused.ShouldBeFalse();
        plan.Point.ShouldBe(point);
        // The fetch first, while the admin site serves; only then is it stopped.
        plan.Steps[0].ShouldContain("nothing of the current data is changed. The admin site still serves meanwhile");
        plan.Steps[1].ShouldBe($"Stop the admin site of {tenant.Slug}, only now that everything is fetched.");
        plan.Steps.ShouldContain(step => step.Contains("the current tables stay, renamed to the schema before_restore_<time>", StringComparison.Ordinal));
        plan.Steps.ShouldContain(step => step.Contains("Remove the kept schema and folder by hand", StringComparison.Ordinal));
        plan.RefusalsWithout(yes: true).ShouldBeEmpty();
        plan.RefusalsWithout(yes: false).ShouldBe(["Nothing done: run again with --yes to carry out this plan."]);
    }

    [Fact]
    public void A_restore_refuses_a_point_that_does_not_exist_a_time_outside_the_window_a_running_import_and_itself_as_target()
    {
        var tenant = Tenant(Hosting.Kubernetes);
        var facts = Facts([Point("nightly-20250304T020000Z")]) with { ImportRunning = true };

        RestorePlan.For(new RestoreRequest(tenant, "nightly-20200101T000000Z", null, tenant.Slug, true, WithMedia: true), facts).Refusals.ShouldBe(
        [
            $"{tenant.Slug} has no restore point 'nightly-20200101T000000Z'. 'tenant backups {tenant.Slug}' lists the 1 there are.",
            $"An import into {tenant.Slug} is running: wait for it ('kubectl get jobs' in {tenant.Names.Namespace}), then restore.",
            $"--into names {tenant.Slug} itself: leave --into out to restore {tenant.Slug} in place (its current data is kept beside the restored one).",
        ]);
        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-30), null, true, WithMedia: true), Facts([])).Refusals.ShouldHaveSingleItem()
            .ShouldStartWith("--at 2025-02-03 02:00:00 UTC is outside what can be recovered: 2025-02-23 02:00:00 UTC to 2025-03-05 01:55:00 UTC");
        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddMinutes(-1), null, true, WithMedia: true), Facts([])).Refusals.ShouldHaveSingleItem()
            .ShouldStartWith("--at 2025-03-05 01:59:00 UTC is outside");
        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-3), null, true, WithMedia: true), Facts([Point("nightly-20250301T020000Z")])).Refused.ShouldBeFalse();
    }

    [Fact]
    public void A_restore_needs_exactly_one_of_backup_and_at()
    {
        var tenant = Tenant(Hosting.Kubernetes);

        RestorePlan.For(new RestoreRequest(tenant, null, null, null, true, WithMedia: true), Facts([])).Refusals
            .ShouldBe(["Name exactly one of --backup <restore point> ('tenant backups' lists them) and --at <time>."]);
    }

    [Fact]
    public void A_point_in_time_recovers_the_database_beside_the_running_one_and_takes_media_from_the_newest_backup_before_it()
    {
        var tenant = Tenant(Hosting.Kubernetes);
        var points = new[] { Point("nightly-20250301T020000Z"), Point("pre-upgrade-7.2.0-20250302T100000Z"), Point("nightly-20250303T020000Z") };

        var plan = RestorePlan.For(new RestoreRequest(tenant, null, new DateTimeOffset(2025, 3, 2, 12, 0, 0, TimeSpan.Zero), null, true, WithMedia: true), Facts(points));

        plan.Refused.ShouldBeFalse();
        plan.Point.ShouldBe(points[1]);
        plan.Steps[0].ShouldStartWith("Recover the database as of 2025-03-02 12:00:00 UTC from the archive of cluster generation 1 into the CloudNativePG cluster database-pitr beside the running one, while the admin site runs");
        plan.Steps[1].ShouldStartWith("Fetch /media of restore point pre-upgrade-7.2.0-20250302T100000Z");
        plan.Steps[2].ShouldBe($"Stop the admin site of {tenant.Slug}, only now that everything is fetched.");
        plan.Steps[^1].ShouldBe("Delete the cluster database-pitr.");

        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-9), null, true, WithMedia: true), Facts(points)).Refusals.ShouldBe(
            [$"{tenant.Slug} has no backup of /media taken at or before 2025-02-24 02:00:00 UTC: 'tenant backups {tenant.Slug}' lists them."]);
        RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-1), "drill", true, WithMedia: true), Facts(points)).Refusals.ShouldBe(
            ["--into restores a restore point (--backup) into another tenant; a point in time is recovered into the tenant itself."]);
    }

    [Fact]
    public void Database_only_and_database_with_media_are_explicit_choices_and_keep_stopped_leaves_the_admin_site_stopped()
    {
        var tenant = Tenant(Hosting.Kubernetes);
        var point = Point("pre-upgrade-7.2.0-20250220T100000Z");

        RestorePlan.For(new RestoreRequest(tenant, point.Name, null, null, true), Facts([point])).Refusals.ShouldBe([RestorePlan.MediaChoice]);
        var databaseOnly = RestorePlan.For(new RestoreRequest(tenant, point.Name, null, null, true, WithMedia: false, KeepStopped: true), Facts([point]));

        databaseOnly.Refused.ShouldBeFalse();
        databaseOnly.Steps.ShouldContain("Leave /media as it is (--no-media): files uploaded since the restored time stay, and the restored database may not name them.");
        databaseOnly.Steps.ShouldContain($"Leave the admin site of {tenant.Slug} stopped (--keep-stopped): the command prints how to start it.");
        databaseOnly.Steps.ShouldNotContain(step => step.StartsWith("Move the fetched files", StringComparison.Ordinal) || step.StartsWith("Start the admin site", StringComparison.Ordinal));
    }

    [Fact]
    public void A_point_in_time_without_media_needs_no_backup_of_media_before_it()
    {
        var tenant = Tenant(Hosting.Kubernetes);

        var plan = RestorePlan.For(new RestoreRequest(tenant, null, Now.AddDays(-9), null, true, WithMedia: false), Facts([Point("nightly-20250303T020000Z")]));

        plan.Refused.ShouldBeFalse();
        plan.Point.ShouldBeNull();
        plan.Steps.ShouldContain(step => step.StartsWith("Dump the recovered database onto the /media volume beside its data (a folder .restore-<time>). The admin site still serves meanwhile", StringComparison.Ordinal));
    }

    private static RestoreFacts Facts(IReadOnlyList<RestorePoint> points) =>
        new(points, Now.AddDays(-10), Now.AddMinutes(-5), ImportRunning: false);

    private static RestorePoint Point(string name) => RestorePoint.Parse(name).ShouldNotBeNull();

    private Tenant Tenant(Hosting hosting) => repository.Open().Load(hosting == Hosting.Azure ? StackFile.Azure() : StackFile.Kubernetes()).ShouldBeValid();
}
