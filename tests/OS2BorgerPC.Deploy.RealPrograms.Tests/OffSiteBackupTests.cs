using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using Xunit.Abstractions;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// The backup and restore scripts as the pods run them (dash; real pg_dump/pg_restore, restic, rclone and jq),
/// against a real PostgreSQL and a real Azure Blob server (Azurite): backup-dump.sh then backup.sh; restore-fetch.sh
/// then restore-database.sh. restic reaches Azurite through its rclone backend (Azurite needs a path-style
/// endpoint restic's own azure backend cannot name); in the pods restic uses its azure or s3 backend directly.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class OffSiteBackupTests(PostgresServer server, BlobServer blobs, ITestOutputHelper log) : IClassFixture<BlobServer>, IDisposable
{
    private const string Remote = "offsite";
    private const int RetentionDays = 10;

    // 2025-03-05T02:00:00Z.
    private static readonly DateTimeOffset FixedNow = DateTimeOffset.FromUnixTimeSeconds(1741140000);

    private readonly DirectoryInfo folder = RealProgram.OpenToUnprivileged(Directory.CreateTempSubdirectory("os2bpc-offsite-"));
    private readonly string container = $"tenant-{Guid.NewGuid():N}"[..30];

    private string BackupRoot => folder.CreateSubdirectory("backup").FullName;

    private string MediaDir => Directory.CreateDirectory(Path.Combine(BackupRoot, "media")).FullName;

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void A_backup_goes_off_site_and_restores_into_an_empty_database_and_media_folder_row_and_byte_identical()
    {
        // More than a toy: a year of job logs, and uploads of every size.
        var (source, media) = DrillDataSet(jobLogs: 20000, files: 200, maxBytes: 256 * 1024);
        var databaseBytes = long.Parse(server.Query(source, "SELECT pg_database_size(current_database())"), CultureInfo.InvariantCulture);

        var backup = Stopwatch.StartNew();
        var run = Backup(source, "nightly", FixedNow);
        backup.Stop();

        run.Transcript.ShouldNotContain(source.Password!);
        Snapshots().ShouldBe([$"nightly-{Stamp(FixedNow)}"]);
        // Nothing readable off-site: restic encrypts every object, names are content hashes.
        blobs.Blobs(Repository, Remote, container).ShouldAllBe(name => name.StartsWith("restic/", StringComparison.Ordinal));

        var into = server.CreateDatabase(source);
        var target = RealProgram.OpenToUnprivileged(folder.CreateSubdirectory("restore"));
        var restore = Stopwatch.StartNew();
        Fetch(target, $"nightly-{Stamp(FixedNow)}").ShouldSucceed();
        LoadDatabase(into, target).ShouldSucceed();
        restore.Stop();

        server.Fingerprint(into).ShouldBe(server.Fingerprint(source));
        Tree(Path.Combine(target.FullName, "media")).ShouldBe(media);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"restore drill: database {databaseBytes / 1048576.0:F1} MiB on disk, media {media.Count} files {media.Values.Sum(f => f.Bytes) / 1048576.0:F1} MiB; backup {backup.Elapsed.TotalSeconds:F1} s, restore {restore.Elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>
    /// The recovery time objective, measured: the drill data set (a tenant's tables with a realistic shape: job logs,
    /// PCs, users; uploads of every size) backed up off-site, then restored as the restore Job does: the database
    /// (fetch, load) and /media (fetch), each timed. The throughputs, scaled to each tier's full database and /media
    /// volumes (RecoveryObjectives.EstimatedRestore), must stay within the tier's RTO. This machine is a shared test
    /// machine with fsync off: the figure is the scripts' own pace, not a cluster's disk.
    /// </summary>
    [Fact]
    public void The_restore_of_the_drill_data_set_scaled_to_each_tier_stays_within_its_recovery_time_objective()
    {
        var (source, media) = DrillDataSet(jobLogs: 60000, files: 200, maxBytes: 512 * 1024);
        Backup(source, "nightly", FixedNow);
        var into = server.CreateDatabase(source);
        var emptyBytes = DatabaseBytes(into);

        var database = Stopwatch.StartNew();
        var side = RealProgram.OpenToUnprivileged(folder.CreateSubdirectory("restore-database"));
        Fetch(side, "latest", parts: "database").ShouldSucceed();
        LoadDatabase(into, side).ShouldSucceed();
        database.Stop();
        var mediaClock = Stopwatch.StartNew();
        var files = RealProgram.OpenToUnprivileged(folder.CreateSubdirectory("restore-media"));
        Fetch(files, "latest", parts: "media").ShouldSucceed();
        mediaClock.Stop();

        server.Fingerprint(into).ShouldBe(server.Fingerprint(source));
        Tree(Path.Combine(files.FullName, "media")).ShouldBe(media);
        var loadedBytes = DatabaseBytes(into) - emptyBytes;
        var mediaBytes = media.Values.Sum(f => f.Bytes);
        var (databaseRate, mediaRate) = (loadedBytes / database.Elapsed.TotalSeconds, mediaBytes / mediaClock.Elapsed.TotalSeconds);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RTO drill: database {loadedBytes / 1048576.0:F1} MiB loaded in {database.Elapsed.TotalSeconds:F1} s ({databaseRate / 1048576.0:F1} MiB/s); media {mediaBytes / 1048576.0:F1} MiB fetched in {mediaClock.Elapsed.TotalSeconds:F1} s ({mediaRate / 1048576.0:F1} MiB/s)"));
        foreach (var tier in Enum.GetValues<SizeTier>())
        {
            var estimate = RecoveryObjectives.EstimatedRestore(SizeProfile.For(tier), databaseRate, mediaRate);
            var objective = RecoveryObjectives.For(Hosting.Kubernetes, tier).TimeObjective;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RTO {tier}: full volumes restored in {estimate.TotalMinutes:F0} min (objective {objective.TotalMinutes:F0} min)"));
            estimate.ShouldBeLessThanOrEqualTo(objective, $"{tier}: the restore scripts' pace here does not meet the tier's RTO");
        }
    }

    [Fact]
    public void The_second_backup_uploads_only_what_changed()
    {
        var source = server.CreateAppDatabase();
        server.Query(source, AdminSiteSchema.Sql);
        WriteMedia(files: 40, maxBytes: 512 * 1024);
        Backup(source, "nightly", FixedNow);
        var first = blobs.Blobs(Repository, Remote, container).Count(name => name.StartsWith("restic/data/", StringComparison.Ordinal));

        File.WriteAllBytes(Path.Combine(MediaDir, "ny-upload.bin"), RandomNumberGenerator.GetBytes(1000));
        var run = Backup(source, "nightly", FixedNow.AddDays(1));

        // The new upload, and the night's dump (a new file each night).
        run.Output.ShouldContain("Files:           1 new,     1 changed,    40 unmodified");
        (blobs.Blobs(Repository, Remote, container).Count(name => name.StartsWith("restic/data/", StringComparison.Ordinal)) - first).ShouldBeLessThanOrEqualTo(2);
    }

    /// <summary>
    /// Retention runs before the new backup, by each snapshot's own time to the second: a nightly backup exactly
    /// RETENTION_DAYS old stays, one a second older goes; a restore point goes only once the next restore point is
    /// older than the window, so the newest one and the one it superseded within the window stay.
    /// </summary>
    [Fact]
    public void Retention_removes_exactly_the_expired_backups_and_never_a_restore_point_still_in_its_window()
    {
        var source = server.CreateAppDatabase();
        server.Query(source, AdminSiteSchema.Sql);
        WriteMedia(files: 3, maxBytes: 1024);
        var days = TimeSpan.FromDays(RetentionDays);
        var planted = new (string Kind, DateTimeOffset At)[]
        {
            ("restore-point", FixedNow - TimeSpan.FromDays(40)),   // superseded 30 days ago: expired
            ("restore-point", FixedNow - TimeSpan.FromDays(30)),   // superseded 5 days ago: kept
            ("nightly", FixedNow - TimeSpan.FromDays(11)),          // expired
            ("nightly", FixedNow - days - TimeSpan.FromSeconds(1)), // expired by a second
            ("nightly", FixedNow - days),                           // exactly the window: kept
            ("restore-point", FixedNow - TimeSpan.FromDays(5)),    // the newest: kept however old
            ("nightly", FixedNow - TimeSpan.FromDays(1)),           // kept
        };
        foreach (var (kind, at) in planted)
        {
            // A long window while planting, so no planted backup expires before the run under test.
            Backup(source, kind, at, retentionDays: 1000);
        }

        var run = Backup(source, "nightly", FixedNow);

        run.Output.ShouldContain("removed 3 expired snapshot(s)");
        Snapshots().ShouldBe(
        [
            $"pre-upgrade-7.2.0-{Stamp(FixedNow - TimeSpan.FromDays(30))}",
            $"nightly-{Stamp(FixedNow - days)}",
            $"pre-upgrade-7.2.0-{Stamp(FixedNow - TimeSpan.FromDays(5))}",
            $"nightly-{Stamp(FixedNow - TimeSpan.FromDays(1))}",
            $"nightly-{Stamp(FixedNow)}",
        ]);
    }

    /// <summary>
    /// Backup first, prune after: while another restic process holds a lock (here a backup still reading its input, as
    /// a long restore or a pre-upgrade backup would), the night's backup is stored and only the removal of expired
    /// backups fails, after, loudly, with exit 3; the next run, the lock gone, removes them. (restic refuses prune's
    /// exclusive lock beside any other lock; 'restic unlock' leaves a live process's lock alone.)
    /// </summary>
    [Fact]
    public void A_held_lock_fails_only_the_prune_after_the_nights_backup_is_stored()
    {
        var (live, old) = ExpiredBackupAndTonightsDump();

        using (var holder = HoldLock())
        {
            var run = Upload(FixedNow, "nightly", RetentionDays, Repository);

            run.ExitCode.ShouldBe(3, run.Transcript);
            run.Output.ShouldContain($"backup: nightly-{Stamp(FixedNow)} stored at");
            run.Error.ShouldContain($"backup: nightly-{Stamp(FixedNow)} is stored, but removing the expired backups failed");
            run.Error.ShouldContain("locked");
            Snapshots().ShouldBe([$"nightly-{Stamp(old)}", $"nightly-{Stamp(FixedNow)}"]);
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }

        Backup(live, "nightly", FixedNow.AddDays(1));
        Snapshots().ShouldBe([$"nightly-{Stamp(FixedNow)}", $"nightly-{Stamp(FixedNow.AddDays(1))}"]);
    }

    [Fact]
    public void An_interrupted_upload_leaves_nothing_a_restore_would_take()
    {
        var source = server.CreateAppDatabase();
        server.Query(source, AdminSiteSchema.Sql);
        WriteMedia(files: 3, maxBytes: 1024);
        Backup(source, "nightly", FixedNow - TimeSpan.FromDays(1));
        WriteMedia(files: 200, maxBytes: 2 * 1024 * 1024);
        Dump(source).ShouldSucceed();

        // The upload is killed once it has stored data of the new backup: mid-upload, as a node loss would.
        var before = blobs.Blobs(Repository, Remote, container).Count;
        using (var upload = StartUpload(FixedNow))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (blobs.Blobs(Repository, Remote, container).Count <= before + 2 && !upload.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
            upload.HasExited.ShouldBeFalse("the upload finished before it could be interrupted: give it more media");
            upload.Kill(entireProcessTree: true);
            upload.WaitForExit();
        }

        blobs.Blobs(Repository, Remote, container).Count.ShouldBeGreaterThan(before);
        Snapshots().ShouldBe([$"nightly-{Stamp(FixedNow - TimeSpan.FromDays(1))}"]);
        var target = RealProgram.OpenToUnprivileged(folder.CreateSubdirectory("restore"));
        var fetched = Fetch(target, "latest").ShouldSucceed();
        fetched.Output.ShouldContain($"fetched latest");
        Tree(Path.Combine(target.FullName, "media")).Count.ShouldBe(3);

        // The next run takes over: the interrupted run's packs are reused, the backup completes.
        Backup(source, "nightly", FixedNow);
        Snapshots().ShouldBe([$"nightly-{Stamp(FixedNow - TimeSpan.FromDays(1))}", $"nightly-{Stamp(FixedNow)}"]);
    }

    /// <summary>
    /// A drill into another tenant reads the source's repository with read and list rights only (on Azure its
    /// identity's Storage Blob Data Reader role on the source's container): restic's lock cannot be written there, so
    /// the fetch reads without one (RESTIC_READ_ONLY, set by the restore Job for another tenant's repository), and
    /// the source's repository is left exactly as it was.
    /// </summary>
    [Fact]
    public void A_drill_restores_from_a_repository_it_may_only_read_and_leaves_it_as_it_was()
    {
        var source = server.CreateAppDatabase();
        server.Query(source, AdminSiteSchema.Sql);
        var media = WriteMedia(files: 20, maxBytes: 64 * 1024);
        Backup(source, "nightly", FixedNow);
        var before = blobs.Blobs(Repository, Remote, container);
        var readOnly = blobs.Repository(Remote, container, "test-repository-password", readOnly: true);

        var locked = RealProgram.OpenToUnprivileged(folder.CreateSubdirectory("locked"));
        Fetch(locked, "latest", repository: readOnly).ShouldFail().Error.ShouldContain("cannot be read");

        var target = RealProgram.OpenToUnprivileged(folder.CreateSubdirectory("drill"));
        Fetch(target, "latest", repository: new(readOnly) { ["RESTIC_READ_ONLY"] = "yes" }).ShouldSucceed();
        var into = server.CreateDatabase(source);
        LoadDatabase(into, target).ShouldSucceed();

        server.Fingerprint(into).ShouldBe(server.Fingerprint(source));
        Tree(Path.Combine(target.FullName, "media")).ShouldBe(media);
        blobs.Blobs(Repository, Remote, container).ShouldBe(before);
    }

    [Fact]
    public void An_unreachable_target_fails_the_backup_loudly_by_name()
    {
        var source = server.CreateAppDatabase();
        Dump(source).ShouldSucceed();
        var closed = new Dictionary<string, string?>(Repository)
        {
            [$"RCLONE_CONFIG_{Remote.ToUpperInvariant()}_SAS_URL"] = $"http://127.0.0.1:{PostgresServer.FreePort()}/{BlobServer.Account}?sv=2019-12-12&sig=x",
            ["BACKUP_TARGET"] = "https://backup.example.dk/tenant-demo",
            ["TARGET_CHECK_SECONDS"] = "5",
        };

        var run = Upload(FixedNow, "nightly", RetentionDays, closed).ShouldFail();

        run.Error.ShouldContain("backup: the backup target https://backup.example.dk/tenant-demo cannot be reached or refuses this tenant");
    }

    [Fact]
    public void A_dump_that_does_not_fit_the_scratch_folder_is_refused_before_it_starts()
    {
        var source = server.CreateAppDatabase();
        server.Query(source, AdminSiteSchema.Sql);

        var run = Dump(source, scratchLimitBytes: 1024).ShouldFail();

        run.Error.ShouldContain("has 1024 bytes free, the database takes");
        Directory.GetFiles(BackupRoot).ShouldBeEmpty();
    }

    [Fact]
    public void A_restore_refuses_a_missing_point_a_non_empty_media_folder_and_a_non_empty_database_and_changes_nothing()
    {
        var source = server.CreateAppDatabase();
        server.Query(source, AdminSiteSchema.Sql);
        WriteMedia(files: 2, maxBytes: 1024);
        Backup(source, "nightly", FixedNow);
        var target = RealProgram.OpenToUnprivileged(folder.CreateSubdirectory("restore"));

        Fetch(target, "nightly-20200101T000000Z").ShouldFail().Error.ShouldContain("there is no backup 'nightly-20200101T000000Z'");
        Directory.GetFileSystemEntries(target.FullName).ShouldBeEmpty();

        File.WriteAllText(Path.Combine(target.CreateSubdirectory("media").FullName, "existing.txt"), "kept");
        Fetch(target, "latest").ShouldFail().Error.ShouldContain("the target /media is not empty");
        Directory.GetFileSystemEntries(Path.Combine(target.FullName, "media")).Select(Path.GetFileName).ShouldBe(["existing.txt"]);

        File.Delete(Path.Combine(target.FullName, "media", "existing.txt"));
        Fetch(target, "latest").ShouldSucceed();
        LoadDatabase(source, target).ShouldFail().Error.ShouldContain($"the database {source.Database} already holds 9 tables");
        server.Fingerprint(source).Select(t => t.Rows).Sum().ShouldBe(AdminSiteSchema.RowCounts.Values.Sum());
    }

    /// <summary>
    /// A restore into the running tenant (tenant restore without --into): the backup's data goes beside the current
    /// data on the same volume and database, then takes its place; what was there is kept (schema and folder), not
    /// overwritten. A backup taken after it leaves the kept data out, and that backup restores the same way again.
    /// </summary>
    [Fact]
    public void A_restore_in_place_keeps_the_data_it_replaces_and_can_be_repeated()
    {
        var live = server.CreateAppDatabase();
        server.Query(live, AdminSiteSchema.Sql);
        var backedUpMedia = WriteMedia(files: 30, maxBytes: 64 * 1024);
        var backedUpRows = server.Fingerprint(live);
        Backup(live, "nightly", FixedNow);
        // After the backup: a bad day.
        server.Query(live, "DELETE FROM system_job; UPDATE auth_user SET username = username || '-after-backup'");
        File.WriteAllText(Path.Combine(MediaDir, "script_uploads", "after-backup.txt"), "made after the backup");
        var changedRows = server.Fingerprint(live);
        var changedMedia = Tree(MediaDir);

        RestoreInPlace(live, $"nightly-{Stamp(FixedNow)}", keepAs: "before_restore_1").ShouldSucceed();

        server.Fingerprint(live).ShouldBe(backedUpRows);
        server.Fingerprint(live, "before_restore_1").ShouldBe(changedRows);
        Tree(MediaDir).Where(f => !f.Key.StartsWith('.')).ToDictionary().ShouldBe(backedUpMedia);
        Tree(Path.Combine(MediaDir, ".before-restore-before_restore_1")).ShouldBe(changedMedia);
        Directory.GetDirectories(MediaDir, ".restore-*").ShouldBeEmpty();

        // The next night leaves the kept data out, and restoring it again works the same way.
        Backup(live, "nightly", FixedNow.AddDays(1));
        RestoreInPlace(live, $"nightly-{Stamp(FixedNow.AddDays(1))}", keepAs: "before_restore_2").ShouldSucceed();
        server.Fingerprint(live).ShouldBe(backedUpRows);
        server.Fingerprint(live, "before_restore_2").ShouldBe(backedUpRows);
        Tree(MediaDir).Where(f => !f.Key.StartsWith('.')).ToDictionary().ShouldBe(backedUpMedia);
        Tree(Path.Combine(MediaDir, ".before-restore-before_restore_2")).ShouldBe(backedUpMedia);
    }

    /// <summary>
    /// A rollback (tenant restore --backup pre-upgrade-... --no-media --keep-stopped): the new version's migrations ran
    /// one by one, each committed, and the third failed, so the database is neither version. The restore point taken
    /// before the upgrade comes back as the database only; the old version's queries work again, the files uploaded in
    /// between stay in /media, and nothing of the restore is left beside it.
    /// </summary>
    [Fact]
    public void A_rollback_through_a_failed_migration_restores_the_database_only_and_the_old_versions_queries_work()
    {
        var live = server.CreateAppDatabase();
        server.Query(live, AdminSiteSchema.Sql);
        const string OldVersionQuery = "SELECT u.username, count(g.id) FROM auth_user u LEFT JOIN auth_user_groups g ON g.user_id = u.id GROUP BY u.username ORDER BY u.username";
        var before = server.Query(live, OldVersionQuery);
        WriteMedia(files: 5, maxBytes: 1024);
        Backup(live, "restore-point", FixedNow);
        // The new version's migrations: each its own transaction, as Django runs them; the third fails halfway through the upgrade.
        server.Query(live, "ALTER TABLE auth_user RENAME COLUMN username TO login");
        server.Query(live, "INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0013_rename_username', now())");
        server.TryQuery(live, "ALTER TABLE auth_user_groups ADD COLUMN role integer NOT NULL REFERENCES no_such_table (id)").ShouldFail();
        server.TryQuery(live, OldVersionQuery).ShouldFail();
        File.WriteAllText(Path.Combine(MediaDir, "script_uploads", "uploaded-during-the-upgrade.txt"), "kept");
        var media = Tree(MediaDir);
        var side = new DirectoryInfo(Path.Combine(MediaDir, ".restore-rollback"));

        Fetch(side, $"pre-upgrade-7.2.0-{Stamp(FixedNow)}", MediaDir, "before_restore_rollback", parts: "database").ShouldSucceed();
        Directory.Exists(Path.Combine(side.FullName, "media")).ShouldBeFalse();
        LoadDatabase(live, side, keepAs: "before_restore_rollback").ShouldSucceed();

        server.Query(live, OldVersionQuery).ShouldBe(before);
        server.Query(live, "SELECT count(*) FROM django_migrations WHERE name = '0013_rename_username'").ShouldBe("0");
        server.Query(live, "SELECT count(*) FROM before_restore_rollback.django_migrations WHERE name = '0013_rename_username'").ShouldBe("1");
        Tree(MediaDir).ShouldBe(media);
        Directory.Exists(side.FullName).ShouldBeFalse("a database-only restore removes its folder once loaded");
    }

    /// <summary>
    /// A point in time (tenant restore --at): the database is dumped from the recovered cluster (standing in here: a
    /// second database) into the fetch's folder, /media comes from the restore point alone; then as any restore.
    /// </summary>
    [Fact]
    public void A_point_in_time_restore_loads_the_recovered_database_and_the_media_of_the_restore_point()
    {
        var live = server.CreateAppDatabase();
        server.Query(live, AdminSiteSchema.Sql);
        var backedUpMedia = WriteMedia(files: 10, maxBytes: 4096);
        Backup(live, "nightly", FixedNow);
        var recovered = server.CreateDatabase(live);
        server.Query(recovered, AdminSiteSchema.Sql);
        server.Query(recovered, "UPDATE auth_user SET username = username || '-as-of-then'");
        server.Query(live, "DELETE FROM system_job");
        var side = new DirectoryInfo(Path.Combine(MediaDir, ".restore-pitr"));

        Fetch(side, $"nightly-{Stamp(FixedNow)}", MediaDir, "before_restore_pitr", parts: "media").ShouldSucceed();
        File.Exists(Path.Combine(side.FullName, "database.dump")).ShouldBeFalse();
        KitScript.Run("backup-dump.sh", new Dictionary<string, string?>(recovered.Environment())
        {
            ["PATH"] = server.ClientPath,
            ["BACKUP_ROOT"] = side.FullName,
            ["SCRATCH_LIMIT_BYTES"] = (1L << 40).ToString(CultureInfo.InvariantCulture),
        }).ShouldSucceed();
        LoadDatabase(live, side, keepAs: "before_restore_pitr").ShouldSucceed();
        KitScript.Run("restore-media.sh", new Dictionary<string, string?>
        {
            ["RESTORE_ROOT"] = side.FullName,
            ["MEDIA_DIR"] = MediaDir,
            ["RESTORE_KEEP_AS"] = "before_restore_pitr",
        }).ShouldSucceed();

        server.Fingerprint(live).ShouldBe(server.Fingerprint(recovered));
        Tree(MediaDir).Where(f => !f.Key.StartsWith('.')).ToDictionary().ShouldBe(backedUpMedia);
    }

    /// <summary>
    /// A load that does not fit the database volume beside the current data and its WAL (LoadSpace: twice the SQL plus
    /// headroom) is refused before anything changes, saying how much to grow the volume.
    /// </summary>
    [Fact]
    public void A_restore_in_place_that_does_not_fit_the_database_volume_is_refused_and_changes_nothing()
    {
        var live = server.CreateAppDatabase();
        server.Query(live, AdminSiteSchema.Sql);
        WriteMedia(files: 2, maxBytes: 1024);
        Backup(live, "nightly", FixedNow);
        var rows = server.Fingerprint(live);
        var side = new DirectoryInfo(Path.Combine(MediaDir, ".restore-1"));
        Fetch(side, "latest", MediaDir, keepAs: "before_restore_1").ShouldSucceed();

        var refused = LoadDatabase(live, side, keepAs: "before_restore_1", freeBytes: LoadSpace.HeadroomBytes).ShouldFail();

        refused.Error.ShouldMatch(@"needs \d+ bytes free on the database volume \(the data and its WAL\), which has 1073741824: grow the database storage by at least 1 GiB");
        refused.Error.ShouldContain("Nothing changed.");
        server.Fingerprint(live).ShouldBe(rows);
        server.Query(live, "SELECT count(*) FROM pg_namespace WHERE nspname = 'before_restore_1'").ShouldBe("0");
        File.Exists(Path.Combine(side.FullName, "database.sql")).ShouldBeFalse();

        LoadDatabase(live, side, keepAs: "before_restore_1", freeBytes: 2 * LoadSpace.HeadroomBytes).ShouldSucceed();
        server.Fingerprint(live).ShouldBe(rows);
    }

    /// <summary>
    /// The fetch sizes only the parts it fetches against /media's free space (restic's file sizes in the snapshot):
    /// --no-media fetches the dump alone, so a /media volume with room for the dump but not for the backed-up /media
    /// takes a database-only restore and refuses a full one, saying by how much and where to grow it.
    /// </summary>
    [Fact]
    public void The_fetch_counts_against_media_only_the_parts_it_fetches()
    {
        var live = server.CreateAppDatabase();
        server.Query(live, AdminSiteSchema.Sql);
        var media = WriteMedia(files: 8, maxBytes: 1024 * 1024);
        Backup(live, "nightly", FixedNow);
        var mediaBytes = media.Values.Sum(f => f.Bytes);
        // Less than the media part, more than the dump of the schema alone.
        var freeKiB = mediaBytes / 1024 / 2;
        mediaBytes.ShouldBeGreaterThan(2 * 1024 * 1024);

        var whole = RealProgram.OpenToUnprivileged(folder.CreateSubdirectory("fetch-all"));
        var refused = Fetch(whole, "latest", parts: "all", mediaFreeKiB: freeKiB).ShouldFail();
        refused.Error.ShouldMatch($@"the backup's parts to restore \(all\) take \d+ bytes, the volume of {System.Text.RegularExpressions.Regex.Escape(whole.FullName)} \(/media\) has {freeKiB * 1024} bytes free: grow /media by at least 1 GiB \({System.Text.RegularExpressions.Regex.Escape(GrowHint)}\), or make room. Nothing restored.");
        Directory.Exists(Path.Combine(whole.FullName, "media")).ShouldBeTrue();
        Directory.EnumerateFileSystemEntries(Path.Combine(whole.FullName, "media")).ShouldBeEmpty();

        var databaseOnly = RealProgram.OpenToUnprivileged(folder.CreateSubdirectory("fetch-database"));
        Fetch(databaseOnly, "latest", parts: "database", mediaFreeKiB: freeKiB).ShouldSucceed();
        File.Exists(Path.Combine(databaseOnly.FullName, "database.dump")).ShouldBeTrue();
        Directory.Exists(Path.Combine(databaseOnly.FullName, "media")).ShouldBeFalse();
    }

    /// <summary>
    /// The plain SQL the load writes beside /media is measured first (the dump read once without writing), and where it
    /// does not fit /media's free space the load is refused before anything is written or changed.
    /// </summary>
    [Fact]
    public void A_load_whose_plain_sql_does_not_fit_media_is_refused_before_anything_is_written()
    {
        var live = server.CreateAppDatabase();
        server.Query(live, AdminSiteSchema.Sql);
        Backup(live, "nightly", FixedNow);
        var rows = server.Fingerprint(live);
        var side = new DirectoryInfo(Path.Combine(MediaDir, ".restore-2"));
        Fetch(side, "latest", MediaDir, keepAs: "before_restore_2", parts: "database").ShouldSucceed();

        var refused = LoadDatabase(live, side, keepAs: "before_restore_2", freeBytes: 100 * LoadSpace.HeadroomBytes, mediaFreeKiB: 1).ShouldFail();

        refused.Error.ShouldMatch(@"the dump's plain SQL takes \d+ bytes, written beside /media for the load; its volume has 1024 bytes free: grow /media by at least 1 GiB \(size in stacks/");
        refused.Error.ShouldContain("Nothing changed.");
        File.Exists(Path.Combine(side.FullName, "database.sql")).ShouldBeFalse();
        server.Fingerprint(live).ShouldBe(rows);
        server.Query(live, "SELECT count(*) FROM pg_namespace WHERE nspname = 'before_restore_2'").ShouldBe("0");

        // The SQL's size plus the headroom fits: loaded.
        LoadDatabase(live, side, keepAs: "before_restore_2", freeBytes: 100 * LoadSpace.HeadroomBytes, mediaFreeKiB: (LoadSpace.MediaHeadroomBytes >> 10) + 64 * 1024).ShouldSucceed();
        server.Fingerprint(live).ShouldBe(rows);
    }

    /// <summary>A dump that breaks off fails the load before anything changes: the data, the schemas and /media stay as they were.</summary>
    [Fact]
    public void A_restore_in_place_whose_dump_is_damaged_changes_nothing()
    {
        var live = server.CreateAppDatabase();
        server.Query(live, AdminSiteSchema.Sql);
        var media = WriteMedia(files: 5, maxBytes: 1024);
        Backup(live, "nightly", FixedNow);
        var rows = server.Fingerprint(live);
        var side = new DirectoryInfo(Path.Combine(MediaDir, ".restore-1"));
        Fetch(side, "latest", MediaDir, keepAs: "before_restore_1").ShouldSucceed();
        var dump = Path.Combine(side.FullName, "database.dump");
        File.WriteAllBytes(dump, File.ReadAllBytes(dump)[..(int)(new FileInfo(dump).Length / 2)]);

        LoadDatabase(live, side, keepAs: "before_restore_1").ShouldFail().Error.ShouldContain("Nothing changed");

        server.Fingerprint(live).ShouldBe(rows);
        server.Query(live, "SELECT count(*) FROM pg_namespace WHERE nspname = 'before_restore_1'").ShouldBe("0");
        Tree(MediaDir).Where(f => !f.Key.StartsWith('.')).ToDictionary().ShouldBe(media);
    }

    /// <summary>
    /// Into another tenant (--into, a drill): only one not in use, i.e. nothing in its /media and no PC registered;
    /// a fresh one (its admin site started once, so its schema exists) takes the backup, its own empty schema kept.
    /// </summary>
    [Fact]
    public void A_restore_into_another_tenant_goes_only_into_one_not_in_use()
    {
        var source = server.CreateAppDatabase();
        server.Query(source, AdminSiteSchema.Sql);
        var media = WriteMedia(files: 3, maxBytes: 1024);
        Backup(source, "nightly", FixedNow);
        var used = server.CreateDatabase(source);
        server.Query(used, AdminSiteSchema.Sql);
        var fresh = server.CreateDatabase(source);
        server.Query(fresh, AdminSiteSchema.Sql);
        server.Query(fresh, "TRUNCATE system_pc CASCADE");
        var otherMedia = folder.CreateSubdirectory("other-media");
        File.WriteAllText(Path.Combine(otherMedia.FullName, "theirs.txt"), "kept");
        var side = new DirectoryInfo(Path.Combine(otherMedia.FullName, ".restore-1"));

        Fetch(side, "latest", otherMedia.FullName, "before_restore_1", intoFresh: true).ShouldFail().Error.ShouldContain("the tenant's /media is not empty");
        Directory.GetFileSystemEntries(otherMedia.FullName).Select(Path.GetFileName).ShouldBe(["theirs.txt"]);

        File.Delete(Path.Combine(otherMedia.FullName, "theirs.txt"));
        Fetch(side, "latest", otherMedia.FullName, "before_restore_1", intoFresh: true).ShouldSucceed();
        LoadDatabase(used, side, "before_restore_1", intoFresh: true).ShouldFail().Error.ShouldContain("is in use (40 PCs registered)");
        server.Query(used, "SELECT count(*) FROM pg_namespace WHERE nspname = 'before_restore_1'").ShouldBe("0");

        LoadDatabase(fresh, side, "before_restore_1", intoFresh: true).ShouldSucceed();
        server.Fingerprint(fresh).ShouldBe(server.Fingerprint(source));
        KitScript.Run("restore-media.sh", new Dictionary<string, string?>
        {
            ["RESTORE_ROOT"] = side.FullName,
            ["MEDIA_DIR"] = otherMedia.FullName,
            ["RESTORE_KEEP_AS"] = "before_restore_1",
        }).ShouldSucceed();
        Tree(otherMedia.FullName).ShouldBe(media);
    }

    /// <summary>A tenant's data of a realistic shape: the admin site's tables with job logs of ~1.3 KB each, and uploads of every size up to maxBytes.</summary>
    private (Connection Database, Dictionary<string, (long Bytes, string Sha256)> Media) DrillDataSet(int jobLogs, int files, int maxBytes)
    {
        var source = server.CreateAppDatabase();
        server.Query(source, AdminSiteSchema.Sql);
        server.Query(source, $"""
            INSERT INTO system_job (status, log_output, pc_id, script_id)
            SELECT 'DONE', repeat(md5(i::text), 40), 1 + i % 40, 1 + i % 2 FROM generate_series(1, {jobLogs}) i
            """);
        return (source, WriteMedia(files, maxBytes));
    }

    private long DatabaseBytes(Connection database) =>
        long.Parse(server.Query(database, "SELECT pg_database_size(current_database())"), CultureInfo.InvariantCulture);

    private Dictionary<string, string?> Repository => blobs.Repository(Remote, container, "test-repository-password");

    private ProgramRun Dump(Connection database, long scratchLimitBytes = 1L << 40) =>
        KitScript.Run("backup-dump.sh", new Dictionary<string, string?>(database.Environment())
        {
            ["PATH"] = server.ClientPath,
            ["BACKUP_ROOT"] = BackupRoot,
            ["SCRATCH_LIMIT_BYTES"] = scratchLimitBytes.ToString(CultureInfo.InvariantCulture),
        });

    private ProgramRun Backup(Connection database, string kind, DateTimeOffset at, int retentionDays = RetentionDays)
    {
        Dump(database).ShouldSucceed();
        return Upload(at, kind, retentionDays, Repository).ShouldSucceed();
    }

    /// <summary>A backup past the retention window, and tonight's dump ready for the upload: a night whose prune has one backup to remove.</summary>
    private (Connection Live, DateTimeOffset Expired) ExpiredBackupAndTonightsDump()
    {
        var live = server.CreateAppDatabase();
        server.Query(live, AdminSiteSchema.Sql);
        WriteMedia(files: 3, maxBytes: 1024);
        var expired = FixedNow - TimeSpan.FromDays(RetentionDays + 1);
        Backup(live, "nightly", expired);
        Dump(live).ShouldSucceed();
        return (live, expired);
    }

    private ProgramRun Upload(DateTimeOffset at, string kind, int retentionDays, IReadOnlyDictionary<string, string?> repository) =>
        KitScript.Run("backup.sh", UploadEnvironment(at, kind, retentionDays, repository));

    private Dictionary<string, string?> UploadEnvironment(DateTimeOffset at, string kind, int retentionDays, IReadOnlyDictionary<string, string?> repository) =>
        new(repository)
        {
            ["BACKUP_ROOT"] = BackupRoot,
            ["BACKUP_KIND"] = kind,
            ["BACKUP_VERSION"] = kind == "restore-point" ? "7.2.0" : null,
            ["BACKUP_NOW"] = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["RETENTION_DAYS"] = retentionDays.ToString(CultureInfo.InvariantCulture),
            ["RESTIC_CACHE_DIR"] = folder.CreateSubdirectory("cache").FullName,
        };

    /// <summary>A restic backup that holds its (non-exclusive) lock while it waits for input that never comes; returns once the lock is in the repository.</summary>
    private Process HoldLock()
    {
        var start = new ProcessStartInfo(RealProgram.Find("restic", "restic").Path)
        {
            ArgumentList = { "backup", "--stdin", "--stdin-filename", "held" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in UploadEnvironment(FixedNow, "nightly", RetentionDays, Repository))
        {
            start.Environment[key] = value;
        }
        var holder = Process.Start(start)!;
        holder.BeginOutputReadLine();
        holder.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Locks() == 0 && !holder.HasExited && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }
        holder.HasExited.ShouldBeFalse("the lock holder ended early");
        Locks().ShouldBe(1);
        return holder;
    }

    private int Locks() => RealProgram.Find("restic", "restic").Run(["list", "locks", "--no-lock"], Repository).ShouldSucceed().Output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>backup.sh as a process of its own, to interrupt it or to act while it runs (<paramref name="said"/> hears its lines).</summary>
    private Process StartUpload(DateTimeOffset at, IReadOnlyDictionary<string, string?>? environment = null, DataReceivedEventHandler? said = null)
    {
        var script = Path.Combine(folder.FullName, "backup.sh");
        File.WriteAllText(script, TemplateRenderer.Source("backup.sh"));
        var start = new ProcessStartInfo(RealProgram.Find("dash", "dash").Path) { ArgumentList = { script }, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in UploadEnvironment(at, "nightly", RetentionDays, Repository).Concat(environment ?? new Dictionary<string, string?>()))
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        if (said is not null)
        {
            process.OutputDataReceived += said;
            process.ErrorDataReceived += said;
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <param name="mediaFreeKiB">What df says is free on the volume (a df first on PATH); the real volume's free space without.</param>
    private ProgramRun Fetch(DirectoryInfo target, string point, string? mediaDir = null, string? keepAs = null, bool intoFresh = false, string? parts = null,
        Dictionary<string, string?>? repository = null, long? mediaFreeKiB = null) =>
        KitScript.Run("restore-fetch.sh", new Dictionary<string, string?>(repository ?? Repository)
        {
            ["PATH"] = WithFreeSpace(Environment.GetEnvironmentVariable("PATH")!, mediaFreeKiB),
            ["RESTORE_GROW_HINT"] = GrowHint,
            ["RESTORE_ROOT"] = target.FullName,
            ["RESTORE_POINT"] = point,
            ["MEDIA_DIR"] = mediaDir,
            ["RESTORE_KEEP_AS"] = keepAs,
            ["RESTORE_INTO_FRESH"] = intoFresh ? "yes" : null,
            ["RESTORE_PARTS"] = parts,
            ["RESTIC_CACHE_DIR"] = folder.CreateSubdirectory("cache").FullName,
        });

    private ProgramRun LoadDatabase(Connection database, DirectoryInfo target, string? keepAs = null, bool intoFresh = false, long? freeBytes = null, long? mediaFreeKiB = null) =>
        KitScript.Run("restore-database.sh", new Dictionary<string, string?>(database.Environment())
        {
            ["PATH"] = WithFreeSpace(server.ClientPath, mediaFreeKiB),
            ["MEDIA_HEADROOM_BYTES"] = LoadSpace.MediaHeadroomBytes.ToString(CultureInfo.InvariantCulture),
            ["RESTORE_GROW_HINT"] = GrowHint,
            ["RESTORE_ROOT"] = target.FullName,
            ["RESTORE_KEEP_AS"] = keepAs,
            ["RESTORE_INTO_FRESH"] = intoFresh ? "yes" : null,
            // As the restore Job sets them (RestoreJob, LoadSpace).
            ["DATABASE_FREE_BYTES"] = freeBytes?.ToString(CultureInfo.InvariantCulture),
            ["LOAD_NEED_FACTOR"] = LoadSpace.Factor.ToString(CultureInfo.InvariantCulture),
            ["LOAD_HEADROOM_BYTES"] = LoadSpace.HeadroomBytes.ToString(CultureInfo.InvariantCulture),
        });

    /// <summary>As LoadSpace.GrowHint words it for a small tenant 'test'.</summary>
    private const string GrowHint = "size in stacks/Pulumi.test.yaml, now small (small: database 10 GiB, /media 10 GiB; medium: database 20 GiB, /media 25 GiB; large: database 50 GiB, /media 50 GiB), then 'pulumi up --stack test'";

    /// <summary>
    /// <paramref name="path"/>, with a df first on it that reports <paramref name="freeKiB"/> free (as df -Pk prints it)
    /// where given: a /media volume of a chosen size, without mounting one.
    /// </summary>
    private string WithFreeSpace(string path, long? freeKiB)
    {
        if (freeKiB is not { } free)
        {
            return path;
        }
        var fakes = folder.CreateSubdirectory($"df-{free}");
        var df = Path.Combine(fakes.FullName, "df");
        File.WriteAllText(df, $"#!/bin/sh\necho 'Filesystem     1024-blocks    Used Available Capacity Mounted on'\necho 'media {free * 2} {free} {free} 50% /media'\n");
        File.SetUnixFileMode(df, (UnixFileMode)0b111_101_101);
        return $"{fakes.FullName}:{path}";
    }

    /// <summary>The three steps of the restore Job, as <c>tenant restore</c> runs them in the tenant itself.</summary>
    private ProgramRun RestoreInPlace(Connection database, string point, string keepAs)
    {
        var side = new DirectoryInfo(Path.Combine(MediaDir, $".restore-{keepAs}"));
        Fetch(side, point, MediaDir, keepAs).ShouldSucceed();
        LoadDatabase(database, side, keepAs).ShouldSucceed();
        return KitScript.Run("restore-media.sh", new Dictionary<string, string?>
        {
            ["RESTORE_ROOT"] = side.FullName,
            ["MEDIA_DIR"] = MediaDir,
            ["RESTORE_KEEP_AS"] = keepAs,
        });
    }

    /// <summary>The names of the repository's snapshots, oldest first.</summary>
    private List<string> Snapshots()
    {
        var json = RealProgram.Find("restic", "restic").Run(["snapshots", "--json"], Repository).ShouldSucceed().Output;
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray()
            .OrderBy(s => s.GetProperty("time").GetDateTimeOffset())
            .Select(s => s.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).Single(t => t.StartsWith("name:", StringComparison.Ordinal))[5..])];
    }

    private Dictionary<string, (long Bytes, string Sha256)> WriteMedia(int files, int maxBytes)
    {
        for (var i = 0; i < files; i++)
        {
            var path = Path.Combine(MediaDir, i % 3 == 0 ? "script_uploads" : $"parameter_uploads/{i % 17}", $"fil {i} æøå.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(1 + RandomNumberGenerator.GetInt32(maxBytes)));
        }
        return Tree(MediaDir);
    }

    private static Dictionary<string, (long Bytes, string Sha256)> Tree(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(
            path => Path.GetRelativePath(root, path),
            path => (new FileInfo(path).Length, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))));

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
