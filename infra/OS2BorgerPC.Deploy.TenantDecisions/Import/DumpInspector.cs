using System.Text;
using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Import;

/// <summary>The two dump formats the import takes: pg_dump's custom archive (-Fc) and plain SQL (the official kit's backup_db).</summary>
public enum DumpFormat
{
    Custom,
    Plain,
}

/// <summary>What a dump file is, from its first bytes; <see cref="ArchiveVersion"/> only for a custom archive.</summary>
public sealed record DumpKind(DumpFormat Format, Version? ArchiveVersion);

/// <summary>Why an import does not start, and what the operator does about it. Nothing has been changed when there is one.</summary>
public sealed record Refusal(string Reason, string Fix);

/// <summary>One row of the dump's <c>django_migrations</c>.</summary>
public sealed record AppliedMigration(string App, string Name);

/// <summary>Whether a dump's migration history can be imported, with what the operator should know either way.</summary>
public sealed record MigrationCheck(Refusal? Refusal, IReadOnlyList<string> Notes);

/// <summary>
/// Checks a dump before anything is uploaded: is it a PostgreSQL dump the kit can restore, and is its
/// migration history OS2's (not the Magenta-hosted fork's). Pure: the caller reads the file (and, for a
/// custom archive, has pg_restore print the <c>django_migrations</c> data).
/// </summary>
public static partial class DumpInspector
{
    /// <summary>Bytes <see cref="Identify"/> needs: tar's magic is at offset 257.</summary>
    public const int HeadLength = 512;

    /// <summary>pg_dump's custom format code in the archive header (pg_backup.h, archCustom).</summary>
    private const byte CustomFormatCode = 1;

    /// <summary>
    /// Archive versions and the first pg_restore that reads them (pg_backup_archiver.h: 1.14 added table access
    /// methods in PostgreSQL 12, 1.15 the compression algorithm in 16, 1.16 BLOB metadata in 17).
    /// </summary>
    private static readonly (Version Archive, int Major)[] Readers = [(new(1, 14), 12), (new(1, 15), 16), (new(1, 16), 17)];

    public static (DumpKind? Kind, Refusal? Refusal) Identify(ReadOnlySpan<byte> head, string file)
    {
        if (head.StartsWith("PGDMP"u8) && head.Length >= 11)
        {
            var version = new Version(head[5], head[6], head[7]);
            if (head[10] != CustomFormatCode)
            {
                return Refuse($"{file} is a pg_dump archive, but not in the custom format.", "Make the dump with pg_dump --format=custom, or as plain SQL.");
            }
            if (MinimumPgRestore(version) > Images.PostgresMajor)
            {
                return Refuse($"{file} is a custom-format dump of archive version {version.ToString(2)}, newer than the kit's PostgreSQL {Images.PostgresMajor} pg_restore reads.",
                    "Make a plain SQL dump instead (pg_dump without --format, as the official kit's backup_db does).");
            }
            return (new DumpKind(DumpFormat.Custom, version), null);
        }
        if (head.StartsWith(GzipMagic))
        {
            return Refuse($"{file} is gzip-compressed.", $"Decompress it first (gunzip {Path.GetFileName(file)}) and import the .sql or .dump inside.");
        }
        if (head.Length > 262 && head[257..262].SequenceEqual("ustar"u8))
        {
            return Refuse($"{file} is a tar archive, not a database dump (a pg_dump --format=tar archive is not supported).",
                "Give the database dump as plain SQL or as pg_dump --format=custom; the /media archive goes to --media.");
        }
        var text = Encoding.UTF8.GetString(head).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.StartsWith(PlainHeader, StringComparison.Ordinal))
        {
            return (new DumpKind(DumpFormat.Plain, null), null);
        }
        if (text.StartsWith(ClusterHeader, StringComparison.Ordinal))
        {
            return Refuse($"{file} is a pg_dumpall dump of a whole server.", "Dump only the admin site's database: pg_dump -U <user> <database> > admin-site.sql.");
        }
        return Refuse($"{file} is not a PostgreSQL dump: it starts neither with pg_dump's custom-format header (PGDMP) nor with '-- PostgreSQL database dump'.",
            "Give the file made by the official kit's 'task backup_db' (db_backups/db_backup_<time>.sql) or by pg_dump.");
    }

    /// <summary>Bytes at a plain dump's end that <see cref="CheckEnd"/> reads.</summary>
    public const int TailLength = 4096;

    /// <summary>
    /// A plain dump that breaks off (a copy or download cut short) would restore only part of the data: pg_dump
    /// ends every complete one with <see cref="PlainEnd"/>. A custom archive's table of contents is checked by pg_restore.
    /// </summary>
    public static Refusal? CheckEnd(ReadOnlySpan<byte> tail, string file) =>
        Encoding.UTF8.GetString(tail).Replace("\r", "", StringComparison.Ordinal).Split('\n').Contains(PlainEnd)
            ? null
            : new Refusal($"{file} is incomplete: it does not end with pg_dump's '{PlainEnd}' line (cut short when it was copied?).",
                "Copy the dump again, or dump the database again, and check that its last lines say it is complete.");

    /// <summary>The oldest PostgreSQL major version whose pg_restore reads a custom archive of this version.</summary>
    /// <returns><see cref="int.MaxValue"/> for an archive newer than any release the kit knows.</returns>
    public static int MinimumPgRestore(Version archive)
    {
        var format = new Version(archive.Major, archive.Minor);
        return format > Readers[^1].Archive ? int.MaxValue : Readers.First(r => format <= r.Archive).Major;
    }

    /// <summary>
    /// The rows of the <c>django_migrations</c> COPY block in a plain SQL dump, or in what
    /// <c>pg_restore --data-only --table=django_migrations --file=- </c> prints for a custom one.
    /// </summary>
    public static IReadOnlyList<AppliedMigration> ReadMigrations(TextReader sql)
    {
        string? line;
        while ((line = sql.ReadLine()) is not null)
        {
            var copy = CopyMigrations().Match(line.TrimEnd('\r'));
            if (!copy.Success)
            {
                continue;
            }
            var columns = copy.Groups["columns"].Value.Split(',').Select(c => c.Trim().Trim('"')).ToList();
            var (app, name) = (columns.IndexOf("app"), columns.IndexOf("name"));
            var rows = new List<AppliedMigration>();
            while ((line = sql.ReadLine()?.TrimEnd('\r')) is not null and not "\\.")
            {
                var fields = line.Split('\t');
                if (app >= 0 && name >= 0 && fields.Length == columns.Count)
                {
                    rows.Add(new AppliedMigration(Unescape(fields[app]), Unescape(fields[name])));
                }
            }
            return rows;
        }
        return [];
    }

    /// <summary>Whether the history is OS2's line, the Magenta-hosted fork's, or neither.</summary>
    public static MigrationCheck CheckHistory(IReadOnlyList<AppliedMigration> applied, string file)
    {
        var system = applied.Where(m => m.App == SystemMigrations.App).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        if (system.Count == 0)
        {
            return new(new Refusal(
                $"{file} has no migrations of the admin site's 'system' app in django_migrations: it is not an OS2BorgerPC admin-site database, or its data is missing (a schema-only dump, or one made with --inserts).",
                "Dump the admin site's database with its data: the official kit's 'task backup_db', or pg_dump [--format=custom] -U <user> <database>."), []);
        }
        var fork = system.Where(SystemMigrations.MagentaFork.Values.Contains).ToList();
        var os2 = system.Where(SystemMigrations.Os2.Values.Contains).ToList();
        // A database's history is one line: OS2's 0087 proves OS2's line even if OS2 later reuses one of the fork's generated names.
        if (fork.Count > 0 && os2.Count == 0)
        {
            return new(new Refusal(
                $"{file} comes from the Magenta-hosted fork of the admin site (magenta-aps/os2borgerpc-admin-site): its system migrations {string.Join(", ", fork)} are not OS2's ({string.Join(", ", SystemMigrations.Os2.Values)}). " +
                "Both lines number different schema changes from 0087 on, so the OS2 admin site this kit runs cannot migrate this database.",
                "Do not edit django_migrations by hand. No OS2 release that reconciles the two histories is known to this kit: ask the OS2borgerPC community " +
                "(github.com/OS2borgerPC, os2borgerpc.dk) or Magenta, the fork's maintainer, for a supported way from the fork to OS2's line, and import a dump made after it."), []);
        }
        var foreign = system.Where(n => SystemMigrations.Number(n) is { } k && SystemMigrations.Os2.TryGetValue(k, out var known) && known != n).ToList();
        if (foreign.Count > 0)
        {
            return new(new Refusal(
                $"{file} has system migrations that are neither OS2's nor the known fork's: {string.Join(", ", foreign)} (OS2 has {string.Join(", ", SystemMigrations.Os2.Values)}).",
                "Find out which admin-site build made this database (a development branch?) and move it to an OS2 release before importing."), []);
        }
        var newest = SystemMigrations.Os2.Keys.Max();
        var newer = system.Where(n => SystemMigrations.Number(n) > newest).ToList();
        var notes = new List<string> { $"migration history: OS2's line, newest system migration {system[^1]}" };
        if (newer.Count > 0)
        {
            notes.Add($"system migrations newer than the kit knows: {string.Join(", ", newer)}. Make sure the tenant's adminSite.version is at least the old installation's, or the admin site may not understand the imported schema.");
        }
        return new(null, notes);
    }

    private static (DumpKind?, Refusal?) Refuse(string reason, string fix) => (null, new Refusal(reason, fix));

    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];

    private const string PlainHeader = "--\n-- PostgreSQL database dump\n";
    private const string ClusterHeader = "--\n-- PostgreSQL database cluster dump\n";
    private const string PlainEnd = "-- PostgreSQL database dump complete";

    /// <summary>COPY's text format escapes (backslash sequences); the names here are plain ASCII, so few occur.</summary>
    private static string Unescape(string field) => CopyEscape().Replace(field, m => m.Groups[1].Value switch
    {
        "t" => "\t",
        "n" => "\n",
        "r" => "\r",
        var octal when char.IsAsciiDigit(octal[0]) => ((char)Convert.ToInt32(octal, 8)).ToString(),
        var other => other,
    });

    [GeneratedRegex("""^COPY (?:"?public"?\.)?"?django_migrations"? \((?<columns>[^)]*)\) FROM stdin;$""")]
    private static partial Regex CopyMigrations();

    [GeneratedRegex(@"\\([0-7]{1,3}|.)")]
    private static partial Regex CopyEscape();
}
