using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// templates/backup.sh, run as the backup CronJob runs it: under dash, connected through the PG*
/// variables as the app's login, writing to a backup folder with a media folder beside it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class BackupScriptTests(PostgresServer server) : IDisposable
{
    private const int RetentionDays = 10;

    // 2025-03-05T02:00:00Z: the retention window reaches back across a month's end.
    private static readonly DateTimeOffset FixedNow = DateTimeOffset.FromUnixTimeSeconds(1741140000);

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("os2bpc-backup-");

    private string BackupDir => Path.Combine(folder.FullName, "backups");

    // Always there, as the media volume is always mounted.
    private string MediaDir => folder.CreateSubdirectory("media").FullName;

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void A_backup_restores_to_the_same_rows_and_archives_the_media()
    {
        var source = server.CreateAppDatabase();
        server.Query(source, AdminSiteSchema.Sql);
        var media = WriteMedia(new()
        {
            ["logo.png"] = [0x89, 0x50, 0x4e, 0x47, 0x00, 0xff],
            ["script_uploads/opdater.sh"] = Encoding.UTF8.GetBytes("#!/bin/sh\necho opdateret\n"),
            [$"parameter_uploads/{Guid.NewGuid():N}/baggrund med mellemrum.jpg"] = Encoding.UTF8.GetBytes("jpeg"),
        });
        // An ext4 volume's root holds lost+found (root's, unreadable to the job): no upload, left out of the archive.
        Directory.CreateDirectory(Path.Combine(MediaDir, "lost+found"));
        File.WriteAllText(Path.Combine(MediaDir, "lost+found", "#1234"), "orphan");
        var started = DateTimeOffset.UtcNow;

        var run = RunBackup(source).ShouldSucceed();

        var stamp = StampOf(Directory.GetFiles(BackupDir, "db-*").ShouldHaveSingleItem());
        stamp.ShouldBeInRange(Truncated(started), DateTimeOffset.UtcNow);
        BackupFiles().ShouldBe([$"db-{Stamp(stamp)}.dump", $"media-{Stamp(stamp)}.tar.gz"]);
        run.Transcript.ShouldNotContain(source.Password!);

        var restored = server.CreateDatabase(source);
        server.Client("pg_restore").Run(["--no-password", "--exit-on-error", $"--dbname={restored.Database}",
            Path.Combine(BackupDir, $"db-{Stamp(stamp)}.dump")], restored.Environment()).ShouldSucceed();
        var original = server.Fingerprint(source);
        original.Select(t => $"{t.Table} {t.Rows}").ShouldBe(AdminSiteSchema.RowCounts.Select(t => $"{t.Key} {t.Value}"), ignoreOrder: true);
        server.Fingerprint(restored).ShouldBe(original);
        server.Query(restored, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'public.system_pc'::regclass")
            .ShouldBe("1");

        ReadArchive(Path.Combine(BackupDir, $"media-{Stamp(stamp)}.tar.gz")).ShouldBe(media, ignoreOrder: true);
    }

    /// <summary>
    /// "Older than the retention" is by the stamp in the name, to the second: a backup exactly
    /// RETENTION_DAYS old stays, one a second older goes. Files that are not backups are never touched.
    /// </summary>
    [Fact]
    public void Retention_removes_exactly_the_backups_older_than_the_limit()
    {
        var limit = TimeSpan.FromDays(RetentionDays);
        var kept = PlantBackups(TimeSpan.FromDays(9) + TimeSpan.FromHours(23), limit - TimeSpan.FromMinutes(1), limit);
        var removed = PlantBackups(limit + TimeSpan.FromSeconds(1), TimeSpan.FromDays(11), TimeSpan.FromDays(30));
        File.WriteAllText(Path.Combine(BackupDir, "notes.txt"), "not a backup");

        var run = RunBackup(server.CreateAppDatabase(), FixedNow).ShouldSucceed();

        BackupFiles().ShouldBe([.. kept, .. BackupNames(FixedNow), "notes.txt"], ignoreOrder: true);
        foreach (var name in removed)
        {
            run.Output.ShouldContain($"removed {name}");
        }
    }

    [Theory]
    [InlineData("wrong password")]
    [InlineData("server down")]
    public void A_failed_dump_fails_the_job_and_removes_nothing(string failure)
    {
        var app = server.CreateAppDatabase();
        var broken = failure == "wrong password" ? app with { Password = "not-the-password" } : app with { Port = PostgresServer.FreePort() };
        var old = PlantBackups(TimeSpan.FromDays(30));

        var run = RunBackup(broken, FixedNow).ShouldFail();

        // No file that looks like a backup, not even half a one; the old backups stay for lack of a new one.
        BackupFiles().ShouldBe(old, ignoreOrder: true);
        run.Transcript.ShouldNotContain(broken.Password!);
    }

    private ProgramRun RunBackup(Connection connection, DateTimeOffset? now = null)
    {
        var environment = connection.Environment();
        environment["PATH"] = server.ClientPath;
        environment["BACKUP_DIR"] = BackupDir;
        environment["MEDIA_DIR"] = MediaDir;
        environment["RETENTION_DAYS"] = RetentionDays.ToString(CultureInfo.InvariantCulture);
        environment["BACKUP_NOW"] = now?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return KitScript.Run("backup.sh", environment);
    }

    /// <returns>Each file as <see cref="Describe"/> puts it.</returns>
    private List<string> WriteMedia(Dictionary<string, byte[]> files)
    {
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(MediaDir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }
        return [.. files.Select(file => Describe(file.Key, file.Value))];
    }

    /// <summary>A file's path and content in one comparable line.</summary>
    private static string Describe(string path, byte[] content) => $"{path}: {Convert.ToHexString(content)}";

    /// <summary>Stand-in backups (a database dump and a media archive) taken this long before <see cref="FixedNow"/>.</summary>
    private List<string> PlantBackups(params TimeSpan[] ages)
    {
        Directory.CreateDirectory(BackupDir);
        var names = ages.SelectMany(age => BackupNames(FixedNow - age)).ToList();
        foreach (var name in names)
        {
            File.WriteAllText(Path.Combine(BackupDir, name), "an old backup");
        }
        return names;
    }

    private static string[] BackupNames(DateTimeOffset taken) => [$"db-{Stamp(taken)}.dump", $"media-{Stamp(taken)}.tar.gz"];

    private string[] BackupFiles() =>
        Directory.Exists(BackupDir) ? [.. Directory.GetFiles(BackupDir).Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal)] : [];

    /// <summary>The script's stamp: UTC, to the second, sorting as it counts.</summary>
    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset StampOf(string path)
    {
        var match = StampPattern().Match(Path.GetFileName(path));
        match.Success.ShouldBeTrue($"{path} is not named db-<stamp>.dump");
        return DateTimeOffset.ParseExact(match.Groups[1].Value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private static DateTimeOffset Truncated(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());

    /// <returns>Each regular file as <see cref="Describe"/> puts it.</returns>
    private static List<string> ReadArchive(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new TarReader(stream);
        var files = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                using var content = new MemoryStream();
                entry.DataStream?.CopyTo(content);
                files.Add(Describe(entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name, content.ToArray()));
            }
        }
        return files;
    }

    [GeneratedRegex(@"^db-(\d{8}T\d{6}Z)\.dump$")]
    private static partial Regex StampPattern();
}
