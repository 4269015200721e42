using System.Formats.Tar;
using System.Text;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary><c>tenant import</c> against a fake cluster: what it runs, in which order, and what stops it.</summary>
public sealed class TenantImportTests : IDisposable
{
    private const string Stamp = "20250305-020000";
    private const string Staging = $"/staging/import-{Stamp}";

    private const string StagingClaim = $"import-staging-{Stamp}";

    private static readonly Dictionary<string, string> Media = new()
    {
        ["script_uploads/opdater.sh"] = "#!/bin/sh\n",
        ["images/logo.png"] = "png",
        ["parameter_uploads/9f2c/baggrund.jpg"] = "jpeg",
    };

    private readonly TempRepository _repository = new();
    private readonly FakeCluster _cluster = new();
    private readonly string _dump;
    private readonly string _media;

    public TenantImportTests()
    {
        _repository.Run("tenant", "new", "751").ShouldSucceed();
        var old = _repository.Folder("old-installation");
        _dump = Path.Combine(old, "db_backup_20250304_230000.sql");
        _media = Path.Combine(old, "media.tar.gz");
        File.WriteAllText(_dump, ImportInputs.PlainDump(ImportInputs.Os2History));
        File.WriteAllBytes(_media, ImportInputs.MediaArchive(Media, "media/"));
    }

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void It_uploads_then_imports_in_a_job_then_restarts_the_admin_site()
    {
        var run = Import().ShouldSucceed();

        _cluster.Steps.ShouldBe(
        [
            "get deployment/admin-site cronjob/backup",
            "get jobs app.kubernetes.io/component=restore",
            "get pvc cnpg.io/cluster=database",
            "apply PersistentVolumeClaim",
            "apply Pod",
            $"wait pod/import-upload-{Stamp}",
            $"upload {Staging}/database.sql",
            $"sha256sum {Staging}/database.sql",
            $"upload {Staging}/media.tar.gz",
            $"sha256sum {Staging}/media.tar.gz",
            $"delete pod/import-upload-{Stamp}",
            "apply ConfigMap,Job",
            $"get job/import-{Stamp}",
            $"logs job/import-{Stamp}",
            $"delete configmap/import-script-{Stamp}",
            "rollout restart deployment/admin-site",
            "rollout status deployment/admin-site",
            $"get pvc/{StagingClaim}",
            $"patch persistentvolume/{FakeCluster.StagingVolume} {{\"spec\":{{\"persistentVolumeReclaimPolicy\":\"Delete\"}}}}",
            $"delete pvc/{StagingClaim}",
        ]);
        _cluster.Calls.Where(c => c.StandardInputFile is not null).Select(c => c.StandardInputFile).ShouldBe([_dump, _media]);
        _cluster.Calls.ShouldAllBe(c => c.Arguments.Contains("os2borgerpc-aarhus") && !c.Arguments.Contains("--context"));
        var job = _cluster.Applied[^1];
        job.ShouldContain("namespace: os2borgerpc-aarhus");
        job.ShouldContain("value: /staging/import-20250305-020000/database.sql");
        job.ShouldContain($"claimName: {StagingClaim}");
        // Its own claim, in the database volumes' class, sized from the two files (a few bytes: the 1 GiB headroom, rounded up).
        var claim = _cluster.Applied.Single(m => m.Contains("kind: PersistentVolumeClaim", StringComparison.Ordinal));
        claim.ShouldContain($"storageClassName: {FakeCluster.DataStorageClass}");
        claim.ShouldContain("storage: 2Gi");
        claim.ShouldContain("app.kubernetes.io/component: import");
        job.ShouldContain("name: IMPORT_MEDIA_STRIP_COMPONENTS\n          value: \"1\"");
        run.Output.ShouldContain("migration history: OS2's line, newest system migration 0088_pc_client_key_hash");
        run.Output.ShouldContain("media: 3 files");
        run.Output.ShouldContain("  | report: table system_pc 40");
        run.Output.ShouldContain("  system_pc              40 rows");
        run.Output.ShouldContain("  system_batch           not in the dump");
        run.Output.ShouldContain("  media files            3");
        run.Output.ShouldContain("set_os2borgerpc_config admin_url https://aarhus.borgerpc.dk\n");
        run.Output.ShouldContain("https://aarhus.borgerpc.dk/admin-xml/");
    }

    [Fact]
    public void Replace_backs_the_tenant_up_before_anything_else_changes()
    {
        Import("--replace").ShouldSucceed();

        _cluster.Steps.Take(6).ShouldBe(
        [
            "get deployment/admin-site cronjob/backup",
            "get jobs app.kubernetes.io/component=restore",
            $"create job backup-before-import-{Stamp}",
            $"get job/backup-before-import-{Stamp}",
            "get pvc cnpg.io/cluster=database",
            "apply PersistentVolumeClaim",
        ]);
        _cluster.Calls[2].Arguments.ShouldContain("--from=cronjob/backup");
        _cluster.Applied[^1].ShouldContain("name: IMPORT_REPLACE\n          value: \"yes\"", Case.Sensitive);
    }

    [Fact]
    public void A_failed_backup_stops_the_import_before_anything_is_uploaded()
    {
        _cluster.JobConditions["backup-before-import-"] = new(["", "FailureTarget Failed"]);

        var run = Import("--replace").ShouldFail("The backup before the import did not succeed. Nothing was changed.");

        _cluster.Steps.ShouldNotContain(step => step.StartsWith("apply", StringComparison.Ordinal));
        run.Error.ShouldContain($"logs job/backup-before-import-{Stamp}");
    }

    [Fact]
    public void A_running_job_is_watched_until_it_ends()
    {
        _cluster.JobConditions["import-"] = new(["", "", "Complete"]);

        Import().ShouldSucceed();

        _cluster.Steps.Count(step => step == $"get job/import-{Stamp}").ShouldBe(3);
    }

    [Fact]
    public void A_refusal_in_the_cluster_changes_nothing_and_leaves_the_admin_site_running()
    {
        _cluster.JobConditions["import-"] = new(["FailureTarget Failed"]);
        _cluster.JobLog = "refused: the database is not empty: its public schema holds 57 tables, views or sequences\nnothing was changed\n";

        Import().ShouldFail("The import refused: the database is not empty");

        _cluster.Steps.ShouldNotContain(step => step.StartsWith("rollout", StringComparison.Ordinal));
        _cluster.Steps.ShouldContain($"delete configmap/import-script-{Stamp}");
        _cluster.Steps[^1].ShouldBe($"delete pvc/{StagingClaim}");
    }

    /// <summary>A staging claim the namespace cannot take (its storage quota) stops the import before anything is uploaded.</summary>
    [Fact]
    public void A_staging_claim_that_is_not_admitted_stops_the_import_before_the_upload()
    {
        _cluster.Answers["apply PersistentVolumeClaim"] = new(1, "", "Error from server (Forbidden): persistentvolumeclaims \"import-staging-20250305-020000\" is forbidden: exceeded quota: tenant-storage");

        Import().ShouldFail("The staging claim was not created: Error from server (Forbidden)");

        _cluster.Steps.ShouldNotContain("apply Pod");
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("apply ConfigMap", StringComparison.Ordinal));
    }

    /// <summary>A staging claim that cannot be removed is named, with the commands that remove it and its volume.</summary>
    [Fact]
    public void A_staging_claim_that_cannot_be_removed_is_named_with_the_command_that_removes_it()
    {
        _cluster.Answers[$"delete pvc/{StagingClaim}"] = new(1, "", "Unable to connect to the server");

        var run = Import();

        run.Error.ShouldContain($"The staging claim {StagingClaim} is left over. Remove it with: kubectl --namespace os2borgerpc-aarhus delete pvc/{StagingClaim} (then, if it stays Released: kubectl delete persistentvolume {FakeCluster.StagingVolume})");
    }

    [Fact]
    public void An_upload_that_arrives_changed_stops_before_the_job()
    {
        _cluster.Answers[$"sha256sum {Staging}/media.tar.gz"] = new(0, $"{new string('0', 64)}  x\n", "");

        Import().ShouldFail($"Uploading {_media} failed: it arrived with another checksum. Nothing was changed.");

        _cluster.Steps.ShouldNotContain("apply ConfigMap,Job");
        _cluster.Steps[^4].ShouldBe($"delete pod/import-upload-{Stamp}");
        _cluster.Steps[^1].ShouldBe($"delete pvc/{StagingClaim}");
    }

    /// <summary>One import or restore at a time (tenant restore refuses while an import runs; this is the other way round).</summary>
    [Fact]
    public void An_import_is_refused_while_a_restore_runs_or_when_it_cannot_tell()
    {
        _cluster.Answers["get jobs"] = new(0, "restore-20250305t010000z", "");

        Import().ShouldFail("A restore of aarhus is running (restore-20250305t010000z).");
        _cluster.Steps.ShouldNotContain(step => step.StartsWith("upload", StringComparison.Ordinal) || step.StartsWith("apply", StringComparison.Ordinal) || step.StartsWith("scale", StringComparison.Ordinal));

        _cluster.Answers["get jobs"] = new(1, "", "Unable to connect to the server");
        Import().ShouldFail("Cannot tell whether a restore of aarhus is running");
    }

    [Fact]
    public void A_tenant_that_is_not_provisioned_is_refused()
    {
        _cluster.Answers["get deployment/admin-site"] = new(1, "", "Error from server (NotFound): namespaces \"os2borgerpc-aarhus\" not found");

        Import().ShouldFail("namespaces \"os2borgerpc-aarhus\" not found").Error.ShouldContain("pulumi up --stack aarhus");

        _cluster.Steps.ShouldBe(["get deployment/admin-site cronjob/backup"]);
    }

    [Fact]
    public void The_context_option_reaches_every_kubectl_call()
    {
        Import("--context", "aks-prod").ShouldSucceed();

        _cluster.Calls.ShouldAllBe(c => c.Arguments.Take(4).SequenceEqual(new[] { "--context", "aks-prod", "--namespace", "os2borgerpc-aarhus" }));
    }

    public static TheoryData<string, string> BadInputs() => new()
    {
        { "not a dump", "is not a PostgreSQL dump" },
        { "cut short", "is incomplete" },
        { "fork", "comes from the Magenta-hosted fork" },
        { "link in archive", "a SymbolicLink entry" },
        { "missing", "does not exist" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void A_failed_check_on_this_machine_touches_no_cluster(string input, string says)
    {
        switch (input)
        {
            case "not a dump": File.WriteAllText(_dump, "id;name\n1;Hovedbiblioteket\n"); break;
            case "cut short": File.WriteAllText(_dump, ImportInputs.PlainDump(ImportInputs.Os2History)[..200]); break;
            case "fork": File.WriteAllText(_dump, ImportInputs.PlainDump(ImportInputs.ForkHistory)); break;
            case "link in archive": File.WriteAllBytes(_media, ImportInputs.Archive(new PaxTarEntry(TarEntryType.SymbolicLink, "images/x") { LinkName = "/etc" })); break;
            default: File.Delete(_media); break;
        }

        Import().ShouldFail(says).Error.ShouldContain("Nothing was changed.");

        _cluster.Calls.ShouldBeEmpty();
    }

    [Fact]
    public void A_custom_dumps_history_is_read_with_pg_restore()
    {
        File.WriteAllBytes(_dump, CustomArchive());

        Import().ShouldSucceed();

        _cluster.Calls[0].ToString().ShouldBe($"pg_restore --data-only --table=django_migrations --file=- {_dump}");
        _cluster.Steps.ShouldContain($"upload {Staging}/database.dump");
    }

    [Fact]
    public void Without_pg_restore_a_custom_dump_is_refused_with_what_to_install()
    {
        File.WriteAllBytes(_dump, CustomArchive());
        _cluster.PgRestore = new(127, "", "pg_restore is not installed", NotFound: true);

        Import().ShouldFail("pg_restore is not installed here").Error.ShouldContain("PostgreSQL 12 or newer");

        _cluster.Steps.ShouldBeEmpty();
    }

    [Fact]
    public void A_tenant_that_only_renders_manifests_is_refused()
    {
        _repository.WithStack("demo", """
            config:
              os2borgerpc:tenant:
                slug: demo
                displayName: Demo
                hosting: kubernetes
                clientSourceRanges: [10.0.0.0/8]
                cluster: {renderToDirectory: rendered/demo}
            """);

        CliRun.In(_repository.Root, Shell(), "tenant", "import", "demo", "--dump", _dump, "--media", _media).ShouldFail("renders its manifests to rendered/demo");

        _cluster.Calls.ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_tenant_is_refused() =>
        CliRun.In(_repository.Root, Shell(), "tenant", "import", "odense", "--dump", _dump, "--media", _media).ShouldFail("There is no stack file for 'odense'");

    private CliRun Import(params string[] options) =>
        CliRun.In(_repository.Root, Shell(), ["tenant", "import", "aarhus", "--dump", _dump, "--media", _media, .. options]);

    private Shell Shell() => new(_cluster, new FixedTime(new DateTimeOffset(2025, 3, 5, 2, 0, 0, TimeSpan.Zero)), TimeSpan.Zero);

    /// <summary>pg_dump's custom-format header (archive 1.14) and some bytes; the fake pg_restore reads it.</summary>
    private static byte[] CustomArchive() => [.. "PGDMP"u8, 1, 14, 0, 4, 8, 1, .. Encoding.ASCII.GetBytes(new string('x', 600))];
}
