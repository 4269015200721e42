using System.Text;
using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Import;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// templates/import.sh, run as the import Job runs it: under bash, connected through the PG* variables as
/// the target's own login (not the dump's owner), with the settings the Job gives it, against dumps that
/// pg_dump made of a database shaped like the admin site's.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ImportScriptTests : IDisposable
{
    private static readonly Dictionary<string, string> MediaFiles = new()
    {
        ["images/logo.png"] = "\u0089PNG",
        ["script_uploads/opdater_firefox.sh"] = "#!/bin/sh\necho opdateret\n",
        ["parameter_uploads/9f2c/baggrund med mellemrum æøå.jpg"] = "jpeg",
    };

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("os2bpc-import-");

    public ImportScriptTests(PostgresServer server)
    {
        this.server = server;
        // As on the volumes: the backup volume with the upload's folder in it, and /media.
        Backups = folder.CreateSubdirectory("backups").FullName;
        Staging = folder.CreateSubdirectory("backups/import-20250305-020000").FullName;
        MediaDir = folder.CreateSubdirectory("media").FullName;
    }

    private readonly PostgresServer server;

    private string Backups { get; }

    private string Staging { get; }

    private string MediaDir { get; }

    private string LogPath => Path.Combine(Backups, "import-20250305-020000.log");

    public void Dispose() => folder.Delete(recursive: true);

    [Theory]
    [InlineData(DumpFormat.Plain)]
    [InlineData(DumpFormat.Custom)]
    public void A_dump_imports_into_an_empty_database_with_the_same_rows(DumpFormat format)
    {
        var source = Source(AdminSiteSchema.Sql);
        var target = server.CreateAppDatabase();

        var run = Import(target, Dump(source, format), Archive("media/")).ShouldSucceed();

        server.Fingerprint(target).ShouldBe(server.Fingerprint(source));
        server.Query(target, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace").ShouldBe("7");
        // The target's login owns what it restored: the old server's owner is gone.
        server.Query(target, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'").ShouldBe(target.User);
        var report = ImportReport.Parse(run.Output);
        report.Refused.ShouldBeNull();
        report.Tables.Where(t => t.Rows is not null).Select(t => $"{t.Table} {t.Rows}")
            .ShouldBe(AdminSiteSchema.RowCounts.Where(t => ImportPlan.ReportTables.Contains(t.Key)).Select(t => $"{t.Key} {t.Value}"), ignoreOrder: true);
        report.Tables.Single(t => t.Table == "system_batch").Rows.ShouldBeNull();
        report.MediaFiles.ShouldBe(MediaFiles.Count);
        ReadMedia().ShouldBe(MediaFiles, ignoreOrder: true);
        // The log stays on the backup volume; the uploads' folder goes.
        File.ReadAllText(LogPath).ShouldBe(run.Output);
        Directory.GetFileSystemEntries(Backups).Select(Path.GetFileName).ShouldBe(["import-20250305-020000.log"]);
        run.Transcript.ShouldNotContain(target.Password!);
        run.Transcript.ShouldNotContain("pbkdf2_sha256");
    }

    /// <summary>The official kit dumps through `docker compose exec`, whose terminal turns every line end into CRLF.</summary>
    [Fact]
    public void A_plain_dump_with_crlf_line_ends_imports()
    {
        var source = Source(AdminSiteSchema.Sql);
        var dump = Dump(source, DumpFormat.Plain);
        File.WriteAllText(dump, File.ReadAllText(dump).Replace("\n", "\r\n", StringComparison.Ordinal));
        var target = server.CreateAppDatabase();

        Import(target, dump, Archive("media/")).ShouldSucceed();

        server.Fingerprint(target).ShouldBe(server.Fingerprint(source));
    }

    [Theory]
    [InlineData("media/")]
    [InlineData("./")]
    [InlineData("./media/")]
    [InlineData("var/lib/docker/volumes/os2borgerpc_admin-media/_data/")]
    public void The_media_arrive_in_media_whatever_folder_the_archive_was_made_of(string root)
    {
        var target = server.CreateAppDatabase();

        Import(target, Dump(Source(AdminSiteSchema.Sql), DumpFormat.Custom), Archive(root)).ShouldSucceed();

        ReadMedia().ShouldBe(MediaFiles, ignoreOrder: true);
    }

    [Fact]
    public void A_database_that_is_not_empty_is_refused_and_nothing_changes()
    {
        var target = server.CreateAppDatabase();
        server.Query(target, "CREATE TABLE django_session (session_key varchar(40) PRIMARY KEY); INSERT INTO django_session VALUES ('abc')");
        File.WriteAllText(Path.Combine(MediaDir, "existing.txt"), "old");
        var before = server.Fingerprint(target);

        var run = Import(target, Dump(Source(AdminSiteSchema.Sql), DumpFormat.Plain), Archive("media/"));

        run.ExitCode.ShouldBe(2, run.Transcript);
        run.Output.ShouldContain("refused: the database is not empty: its public schema holds 1 tables");
        run.Output.ShouldContain("--replace");
        server.Fingerprint(target).ShouldBe(before);
        ReadMedia().ShouldBe(new Dictionary<string, string> { ["existing.txt"] = "old" });
    }

    [Fact]
    public void With_replace_the_database_and_media_are_replaced()
    {
        var source = Source(AdminSiteSchema.Sql);
        var target = server.CreateAppDatabase();
        // What a fresh tenant holds after its admin site started once: a schema, the bootstrap admin, a view.
        server.Query(target, """
            CREATE TABLE auth_user (id serial PRIMARY KEY, username text NOT NULL);
            INSERT INTO auth_user (username) VALUES ('admin');
            CREATE TABLE system_configuration (id serial PRIMARY KEY, name text);
            CREATE VIEW admin_names AS SELECT username FROM auth_user;
            """);
        File.WriteAllText(Path.Combine(MediaDir, "left-over.txt"), "old");
        // An ext4 volume's own folder: neither removed nor counted.
        File.WriteAllText(Path.Combine(folder.CreateSubdirectory("media/lost+found").FullName, "#1234"), "fsck");

        var run = Import(target, Dump(source, DumpFormat.Custom), Archive("media/"), replace: true).ShouldSucceed();

        server.Fingerprint(target).ShouldBe(server.Fingerprint(source));
        server.Query(target, "SELECT count(*) FROM pg_views WHERE schemaname = 'public'").ShouldBe("0");
        ReadMedia().ShouldBe(MediaFiles.Append(new("lost+found/#1234", "fsck")), ignoreOrder: true);
        ImportReport.Parse(run.Output).MediaFiles.ShouldBe(MediaFiles.Count);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("gzip")]
    [InlineData("cut short")]
    public void A_file_that_is_not_a_whole_dump_is_refused_and_nothing_changes(string file)
    {
        var target = server.CreateAppDatabase();
        var dump = Path.Combine(Staging, "database.sql");
        var whole = File.ReadAllBytes(Dump(Source(AdminSiteSchema.Sql), DumpFormat.Plain));
        File.WriteAllBytes(dump, file switch
        {
            "text" => Encoding.UTF8.GetBytes("id;name\n1;Hovedbiblioteket\n"),
            "gzip" => ImportInputs.Gzip(whole),
            _ => whole[..(whole.Length / 2)],
        });

        var run = Import(target, dump, Archive("media/"));

        run.ExitCode.ShouldBe(2, run.Transcript);
        run.Output.ShouldContain(file == "cut short" ? "refused: database.sql is incomplete" : "refused: database.sql is not a PostgreSQL dump");
        server.Query(target, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace").ShouldBe("0");
        Directory.GetFileSystemEntries(MediaDir).ShouldBeEmpty();
    }

    /// <summary>A custom archive whose data breaks off: the restore fails midway and nothing of it stays.</summary>
    [Fact]
    public void A_restore_that_fails_midway_is_rolled_back()
    {
        var target = server.CreateAppDatabase();
        var dump = Dump(Source(AdminSiteSchema.Sql), DumpFormat.Custom);
        var bytes = File.ReadAllBytes(dump);
        File.WriteAllBytes(dump, bytes[..(bytes.Length - 600)]);

        var run = Import(target, dump, Archive("media/"));

        run.ExitCode.ShouldBe(1, run.Transcript);
        run.Output.ShouldContain("failed: the database restore stopped");
        server.Query(target, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace").ShouldBe("0");
        Directory.GetFileSystemEntries(MediaDir).ShouldBeEmpty();
    }

    /// <summary>The checks the CLI makes before uploading, on what real pg_dump and pg_restore write.</summary>
    [Theory]
    [InlineData(DumpFormat.Plain)]
    [InlineData(DumpFormat.Custom)]
    public void The_migration_history_of_the_magenta_fork_is_detected_and_os2s_is_accepted(DumpFormat format)
    {
        var os2 = Dump(Source(AdminSiteSchema.Sql), format, "os2");
        var fork = Dump(Source(AdminSiteSchema.ForkSql), format, "fork");

        var accepted = DumpInspector.CheckHistory(Migrations(os2, format), "os2");
        var refused = DumpInspector.CheckHistory(Migrations(fork, format), "fork");

        accepted.Refusal.ShouldBeNull();
        accepted.Notes.ShouldContain("migration history: OS2's line, newest system migration 0088_pc_client_key_hash");
        refused.Refusal.ShouldNotBeNull().Reason.ShouldContain("Magenta-hosted fork");
        refused.Refusal.Reason.ShouldContain("0087_imageversion_published_and_more");
        refused.Refusal.Reason.ShouldContain("0091_alter_configurationentry_options");
    }

    [Theory]
    [InlineData(DumpFormat.Plain)]
    [InlineData(DumpFormat.Custom)]
    public void Real_dumps_are_recognised_with_their_format(DumpFormat format)
    {
        var dump = File.ReadAllBytes(Dump(Source(AdminSiteSchema.Sql), format));

        var (kind, refusal) = DumpInspector.Identify(dump.AsSpan(0, DumpInspector.HeadLength), "dump");

        refusal.ShouldBeNull();
        kind.ShouldNotBeNull().Format.ShouldBe(format);
        if (format == DumpFormat.Custom)
        {
            DumpInspector.MinimumPgRestore(kind.ArchiveVersion!).ShouldBeLessThanOrEqualTo(15);
        }
        else
        {
            DumpInspector.CheckEnd(dump.AsSpan(dump.Length - DumpInspector.TailLength), "dump").ShouldBeNull();
        }
    }

    private Connection Source(string sql)
    {
        var source = server.CreateAppDatabase();
        server.Query(source, sql);
        return source;
    }

    /// <summary>pg_dump as the source's own login, into the staging folder the upload fills.</summary>
    private string Dump(Connection source, DumpFormat format, string name = "database")
    {
        var path = Path.Combine(Staging, format == DumpFormat.Custom ? $"{name}.dump" : $"{name}.sql");
        string[] formatFlag = format == DumpFormat.Custom ? ["--format=custom"] : [];
        server.Client("pg_dump").Run(["--no-password", .. formatFlag, $"--file={path}"], source.Environment()).ShouldSucceed();
        return path;
    }

    /// <summary>django_migrations as the CLI reads it: from the SQL, or from what pg_restore prints of the archive.</summary>
    private IReadOnlyList<AppliedMigration> Migrations(string dump, DumpFormat format)
    {
        var sql = format == DumpFormat.Plain
            ? File.ReadAllText(dump)
            : server.Client("pg_restore").Run(["--data-only", "--table=django_migrations", "--file=-", dump]).ShouldSucceed().Output;
        return DumpInspector.ReadMigrations(new StringReader(sql));
    }

    /// <summary>
    /// /media as an archive whose entries sit under <paramref name="root"/>: written by .NET's tar writer, or for
    /// './' roots by GNU tar itself, as an operator's tar would. Strips what the CLI's check says to strip.
    /// </summary>
    private (string Path, int Strip) Archive(string root)
    {
        var path = Path.Combine(Staging, "media.tar.gz");
        if (root.StartsWith("./", StringComparison.Ordinal))
        {
            // The old host's volume: tar of its contents (-C media .) or of the folder (-C old-host ./media).
            var oldHost = folder.CreateSubdirectory("old-host");
            var content = oldHost.CreateSubdirectory("media").FullName;
            foreach (var (name, text) in MediaFiles)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(content, name))!);
                File.WriteAllText(Path.Combine(content, name), text);
            }
            string[] what = root == "./" ? ["-C", content, "."] : ["-C", oldHost.FullName, "./media"];
            RealProgram.Find("tar", "tar").Run(["-czf", path, .. what]).ShouldSucceed();
        }
        else
        {
            File.WriteAllBytes(path, ImportInputs.MediaArchive(MediaFiles, root));
        }
        using var archive = File.OpenRead(path);
        var (media, refusal) = MediaArchiveInspector.Inspect(archive, path);
        refusal.ShouldBeNull();
        media.ShouldNotBeNull().FileCount.ShouldBe(MediaFiles.Count);
        return (path, media.StripComponents);
    }

    /// <summary>The script with the Job's settings, pointing at this test's folders instead of the volumes.</summary>
    private ProgramRun Import(Connection target, string dump, (string Path, int Strip) archive, bool replace = false)
    {
        var environment = target.Environment();
        environment["PATH"] = server.ClientPath;
        foreach (var (key, value) in ImportPlan.ScriptSettings(Staging, dump, archive.Path, archive.Strip, replace, LogPath, MediaDir))
        {
            environment[key] = value;
        }
        return KitScript.Run(ImportPlan.ScriptFile, environment);
    }

    private Dictionary<string, string> ReadMedia() => Directory.GetFiles(MediaDir, "*", SearchOption.AllDirectories)
        .ToDictionary(file => Path.GetRelativePath(MediaDir, file), File.ReadAllText);

}
