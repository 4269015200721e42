using System.Text.RegularExpressions;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Documentation;

/// <summary>
/// The relative links of Markdown files and the headings they point to, as GitHub renders them: a link to a
/// file must name one that exists, and a #anchor one of that file's headings.
/// </summary>
internal static partial class MarkdownLinks
{
    /// <summary>Every broken relative link in the files (paths relative to <paramref name="root"/>), one line each.</summary>
    public static IReadOnlyList<string> Problems(string root, IEnumerable<string> files)
    {
        var problems = new List<string>();
        foreach (var file in files)
        {
            var folder = Path.GetDirectoryName(Path.Combine(root, file))!;
            foreach (var target in LinkTargets(File.ReadAllText(Path.Combine(root, file))))
            {
                var hash = target.IndexOf('#');
                var path = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var linked = path.Length == 0 ? Path.Combine(root, file) : Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(path)));
                if (!File.Exists(linked) && !Directory.Exists(linked))
                {
                    problems.Add($"{file}: the link ({target}) names {path}, which does not exist");
                }
                else if (anchor is not null && !Anchors(File.ReadAllText(linked)).Contains(anchor))
                {
                    problems.Add($"{file}: the link ({target}) names #{anchor}, which is no heading of {Path.GetRelativePath(root, linked)}");
                }
            }
        }
        return problems;
    }

    /// <summary>GitHub's anchor for a heading: lowercase, punctuation other than - and _ dropped, spaces to -.</summary>
    public static string Slug(string heading)
    {
        var text = LinkSyntax().Replace(heading.Trim(), "$1").ToLowerInvariant();
        return NotSlugCharacter().Replace(text, "").Replace(' ', '-');
    }

    /// <summary>The anchors of a file's headings; a repeated heading gets -1, -2, ... as on GitHub.</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>();
        foreach (var line in OutsideCode(markdown))
        {
            var heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }
            var slug = Slug(heading.Groups["text"].Value);
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++)
            {
                unique = $"{slug}-{n}";
            }
        }
        return anchors;
    }

    private static IEnumerable<string> LinkTargets(string markdown) =>
        OutsideCode(markdown)
            .Select(line => InlineCode().Replace(line, ""))
            .SelectMany(line => Link().Matches(line).Select(m => m.Groups["target"].Value))
            .Where(target => !Scheme().IsMatch(target));

    /// <summary>The lines outside fenced code blocks.</summary>
    private static IEnumerable<string> OutsideCode(string markdown)
    {
        var inFence = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (!inFence)
            {
                yield return line.TrimEnd('\r');
            }
        }
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkSyntax();

    [GeneratedRegex(@"[^\p{L}\p{Nd}\p{Mn}\p{Pc} -]")]
    private static partial Regex NotSlugCharacter();
}
