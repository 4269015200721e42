using System.Formats.Tar;
using System.Text;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Import;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>The check of the /media archive before it is uploaded: what is in it, where, and nothing dangerous.</summary>
public sealed class MediaArchiveInspectorTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["script_uploads/opdater.sh"] = "#!/bin/sh\n",
        ["parameter_uploads/9f2c/baggrund æøå.jpg"] = "jpeg",
    };

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("./", "", 0)]
    [InlineData("media/", "media", 1)]
    [InlineData("./media/", "media", 2)]
    [InlineData("var/lib/docker/volumes/os2borgerpc_admin-media/_data/", "var/lib/docker/volumes/os2borgerpc_admin-media/_data", 6)]
    public void The_media_folder_is_found_whatever_the_archive_was_made_of(string root, string media, int strip)
    {
        var archive = Inspect(ImportInputs.MediaArchive(Files, root)).ShouldNotBeNull();

        archive.ShouldBe(new MediaArchive(2, Files.Values.Sum(v => Encoding.UTF8.GetByteCount(v)), media, strip));
    }

    [Fact]
    public void A_single_upload_folder_is_media_content_not_its_root() =>
        Inspect(ImportInputs.MediaArchive(new Dictionary<string, string> { ["script_uploads/a.sh"] = "a", ["script_uploads/b.sh"] = "b" }))
            .ShouldNotBeNull().StripComponents.ShouldBe(0);

    [Theory]
    [InlineData("/etc/cron.d/evil")]
    [InlineData("../outside.txt")]
    [InlineData("media/../../outside.txt")]
    public void A_path_outside_the_folder_is_refused(string name) =>
        Refused(ImportInputs.Archive(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream([1]) }),
            "a path outside the folder");

    [Theory]
    [InlineData(TarEntryType.SymbolicLink)]
    [InlineData(TarEntryType.HardLink)]
    [InlineData(TarEntryType.Fifo)]
    public void Links_and_devices_are_refused(TarEntryType type) =>
        Refused(ImportInputs.Archive(new PaxTarEntry(TarEntryType.RegularFile, "images/logo.png"), Special(type)), $"a {type} entry");

    private static PaxTarEntry Special(TarEntryType type)
    {
        var entry = new PaxTarEntry(type, "images/special");
        if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
        {
            entry.LinkName = "/etc/passwd";
        }
        return entry;
    }

    [Fact]
    public void Names_with_and_without_a_leading_dot_are_refused() =>
        Refused(ImportInputs.Archive(new PaxTarEntry(TarEntryType.RegularFile, "./media/a"), new PaxTarEntry(TarEntryType.RegularFile, "media/b")),
            "both with and without a leading './'");

    [Theory]
    [InlineData("plain text")]
    [InlineData("gzip of text")]
    public void Anything_but_a_tar_gz_is_refused(string content)
    {
        var bytes = content == "plain text" ? "not an archive"u8.ToArray() : ImportInputs.Gzip(Encoding.UTF8.GetBytes("not a tar archive, but long enough to be read as a header block"));

        Refused(bytes, "is not a readable gzip-compressed tar archive").Fix.ShouldContain("tar -C /media -czf");
    }

    private static MediaArchive? Inspect(byte[] archive)
    {
        var (media, refusal) = MediaArchiveInspector.Inspect(new MemoryStream(archive), "media.tar.gz");
        refusal.ShouldBeNull();
        return media;
    }

    private static Refusal Refused(byte[] archive, string says)
    {
        var (media, refusal) = MediaArchiveInspector.Inspect(new MemoryStream(archive), "media.tar.gz");
        media.ShouldBeNull();
        refusal.ShouldNotBeNull().Reason.ShouldContain(says);
        refusal.Reason.ShouldStartWith("media.tar.gz ");
        return refusal;
    }
}
