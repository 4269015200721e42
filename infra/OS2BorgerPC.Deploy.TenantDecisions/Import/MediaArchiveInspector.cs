using System.Formats.Tar;
using System.IO.Compression;

namespace OS2BorgerPC.Deploy.TenantDecisions.Import;

/// <summary>An archive of the old /media folder, checked: its files, and how many leading folders the import strips.</summary>
/// <param name="Root">The folders above the media files (e.g. <c>media</c>, or a docker volume's path); empty when the files are at the archive's root.</param>
/// <param name="StripComponents">tar's --strip-components for <paramref name="Root"/>: GNU tar counts a leading <c>./</c> as one.</param>
public sealed record MediaArchive(int FileCount, long TotalBytes, string Root, int StripComponents);

/// <summary>
/// Reads a .tar.gz of /media before it is uploaded. It refuses what must not be extracted into a tenant's
/// volume (absolute paths, '..', links, devices) and finds the folder that holds the media: the archive's
/// root, or a leading <c>media/</c> or docker volume <c>_data/</c> folder (tar of the folder, not its contents).
/// </summary>
public static class MediaArchiveInspector
{
    /// <summary>What an archive of the admin site's /media holds at its top (shared/docs/admin-site-runtime.md).</summary>
    public static readonly IReadOnlyList<string> KnownFolders = ["script_uploads", "parameter_uploads", "images", "changelog-images"];

    private static readonly string[] MediaFolderNames = ["media", "_data"];

    public static (MediaArchive? Archive, Refusal? Refusal) Inspect(Stream archive, string file)
    {
        var names = new List<string[]>();
        var (files, bytes) = (0, 0L);
        try
        {
            using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }
                var name = entry.Name.Replace('\\', '/');
                var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (name.StartsWith('/') || segments.Contains(".."))
                {
                    return Refuse($"{file} holds '{entry.Name}', a path outside the folder it is extracted into.");
                }
                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        files++;
                        bytes += entry.Length;
                        break;
                    case TarEntryType.Directory:
                        break;
                    default:
                        return Refuse($"{file} holds '{entry.Name}', a {entry.EntryType} entry; /media holds only files and folders.");
                }
                names.Add(segments);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            return Refuse($"{file} is not a readable gzip-compressed tar archive ({e.Message}).");
        }
        var root = MediaRoot(names.Select(Folders).Where(s => s.Length > 0).ToList());
        // tar strips raw name segments: count the './' segments in front of the root's folders too.
        var strips = names.Where(n => Folders(n).Length > root.Length).Select(n => RawLength(n, root.Length)).Distinct().ToList();
        if (strips.Count > 1)
        {
            return Refuse($"{file} names its entries both with and without a leading './'; it was not made by one tar run.");
        }
        return (new MediaArchive(files, bytes, string.Join('/', root), strips.SingleOrDefault()), null);
    }

    private static string[] Folders(string[] segments) => segments.Where(s => s != ".").ToArray();

    /// <summary>How many raw segments hold the first <paramref name="folders"/> real ones.</summary>
    private static int RawLength(string[] segments, int folders)
    {
        var (raw, seen) = (0, 0);
        while (seen < folders)
        {
            seen += segments[raw++] == "." ? 0 : 1;
        }
        return raw;
    }

    /// <summary>The leading folders every entry shares, up to the last one named like a media folder; none if there is no such one.</summary>
    private static string[] MediaRoot(IReadOnlyList<string[]> split)
    {
        if (split.Count == 0)
        {
            return [];
        }
        var shared = split.Min(s => s.Length);
        var common = Enumerable.Range(0, shared).TakeWhile(i => split.All(s => s[i] == split[0][i])).Select(i => split[0][i]).ToArray();
        // The shared prefix must be folders of every file entry: a file itself is never the root.
        var folders = split.Where(s => s.Length > common.Length).Any() ? common : common[..^1];
        var last = Array.FindLastIndex(folders, s => MediaFolderNames.Contains(s));
        return last < 0 ? [] : folders[..(last + 1)];
    }

    private static (MediaArchive?, Refusal?) Refuse(string reason) => (null, new Refusal(reason,
        "Archive the old /media folder's contents as .tar.gz, e.g. on the old docker host: " +
        "docker run --rm -v <project>_admin-media:/media:ro -v \"$PWD\":/out debian:bookworm tar -C /media -czf /out/media.tar.gz ."));
}
