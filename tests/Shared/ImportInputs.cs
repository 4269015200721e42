using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using OS2BorgerPC.Deploy.TenantDecisions.Import;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>What an operator hands <c>tenant import</c>: a plain SQL dump and an archive of /media, made in code.</summary>
public static class ImportInputs
{
    /// <summary>A short OS2 history: the first system migration, the last both lines share, then OS2's own.</summary>
    public static IReadOnlyList<(string App, string Name)> Os2History =>
        [("auth", "0001_initial"), ("system", "0001_squashed_base"), ("system", SystemMigrations.LastShared), .. SystemMigrations.Os2.Values.Select(n => ("system", n))];

    /// <summary>The same with the Magenta-hosted fork's 0087-0091.</summary>
    public static IReadOnlyList<(string App, string Name)> ForkHistory =>
        [.. Os2History.Take(3), .. SystemMigrations.MagentaFork.Values.Select(n => ("system", n))];

    /// <summary>A plain dump as pg_dump writes one: header, a table, the django_migrations COPY block, the closing line.</summary>
    public static string PlainDump(IEnumerable<(string App, string Name)> history, string lineEnd = "\n")
    {
        var rows = history.Select((m, i) => $"{i + 1}\t{m.App}\t{m.Name}\t2024-06-25 14:16:17.000000+02");
        var lines = new[]
        {
            "--", "-- PostgreSQL database dump", "--", "",
            "SET statement_timeout = 0;", "SET client_encoding = 'UTF8';", "",
            "CREATE TABLE public.django_migrations (id bigint NOT NULL, app character varying(255) NOT NULL, name character varying(255) NOT NULL, applied timestamp with time zone NOT NULL);",
            "ALTER TABLE public.django_migrations OWNER TO os2borgerpc;", "",
            "COPY public.system_site (id, name, uid) FROM stdin;", "1\tHovedbiblioteket\thovedbiblioteket", "\\.", "",
            "COPY public.django_migrations (id, app, name, applied) FROM stdin;",
        }.Concat(rows).Concat(["\\.", "", "--", "-- PostgreSQL database dump complete", "--", ""]);
        return string.Join(lineEnd, lines);
    }

    /// <summary>A .tar.gz with the given files (path: content), each under <paramref name="root"/>.</summary>
    public static byte[] MediaArchive(IReadOnlyDictionary<string, string> files, string root = "") => Archive(
    [
        .. root.Length > 0 ? new[] { new PaxTarEntry(TarEntryType.Directory, root) } : [],
        .. files.Select(file => new PaxTarEntry(TarEntryType.RegularFile, root + file.Key) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(file.Value)) }),
    ]);

    /// <summary>A .tar.gz of exactly these entries, for archives an operator must not be able to extract.</summary>
    public static byte[] Archive(params TarEntry[] entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }
        return output.ToArray();
    }
}
