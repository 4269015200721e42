using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Documentation;

/// <summary>No file of the repository holds a merge's conflict markers (a script with one no longer runs).</summary>
public sealed partial class MergeMarkerTests
{
    private static readonly string[] Skipped = ["/.git/", "/bin/", "/obj/", "/node_modules/", "/rendered/"];

    [GeneratedRegex(@"^(<{7} |>{7} |={7}$)", RegexOptions.Multiline)]
    private static partial Regex ConflictMarker();

    [Fact]
    public void No_file_holds_conflict_markers()
    {
        var root = RepositoryRoot.FullPath;
        var marked = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => !Skipped.Any(part => path.Replace('\\', '/').Contains(part, StringComparison.Ordinal)))
            .Where(path => new FileInfo(path).Length < 4 * 1024 * 1024)
            .Where(path => ConflictMarker().IsMatch(File.ReadAllText(path)))
            .Select(path => Path.GetRelativePath(root, path))
            .ToList();
        marked.ShouldBeEmpty("resolve the merge in these files");
    }

    [Theory]
    [InlineData("a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> branch\n", true)]
    [InlineData("# a heading\n=======\n", true)]
    [InlineData("a table | ======= | of text\n", false)]
    public void A_conflict_marker_is_recognised_at_the_start_of_a_line(string text, bool marked)
    {
        ConflictMarker().IsMatch(text).ShouldBe(marked);
    }
}
