using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Documentation;

/// <summary>The README is a front door, the depth is in docs/, and every relative link between them resolves.</summary>
public sealed class DocumentationTests
{
    private static readonly string Root = RepositoryRoot.FullPath;

    private static IEnumerable<string> Documents() =>
        new[] { "README.md", "CONTRIBUTING.md" }
            .Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(path => Path.GetRelativePath(Root, path)))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void The_README_is_at_most_300_lines()
    {
        File.ReadAllLines(Path.Combine(Root, "README.md")).Length.ShouldBeLessThanOrEqualTo(300,
            "README.md is the front door: move the depth into docs/ (CONTRIBUTING.md, \"Layout\")");
    }

    [Fact]
    public void Every_relative_link_and_anchor_in_the_docs_resolves()
    {
        Documents().Count().ShouldBeGreaterThan(5);
        MarkdownLinks.Problems(Root, Documents()).ShouldBeEmpty();
    }

    [Fact]
    public void A_link_to_a_missing_file_or_heading_is_named()
    {
        var folder = Directory.CreateTempSubdirectory("os2bpc-docs-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "docs"));
            File.WriteAllText(Path.Combine(folder, "docs", "A.md"), "# A\n\n## Data safety\n\n## Data safety\n");
            File.WriteAllText(Path.Combine(folder, "README.md"), string.Join('\n',
                "# Readme",
                "[ok](docs/A.md#data-safety) [repeated](docs/A.md#data-safety-1) [here](#readme) [web](https://os2borgerpc.dk)",
                "[gone](docs/B.md) [no heading](docs/A.md#restore) [not here](#nothing)",
                "`[in code](docs/C.md)`",
                "```",
                "[in a block](docs/D.md)",
                "```"));

            MarkdownLinks.Problems(folder, ["README.md"]).ShouldBe([
                "README.md: the link (docs/B.md) names docs/B.md, which does not exist",
                "README.md: the link (docs/A.md#restore) names #restore, which is no heading of docs/A.md",
                "README.md: the link (#nothing) names #nothing, which is no heading of README.md",
            ]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("The data path's network", "the-data-paths-network")]
    [InlineData("`tenant check`'s start-up", "tenant-checks-start-up")]
    [InlineData("From zero: bootstrapping a platform", "from-zero-bootstrapping-a-platform")]
    [InlineData("kubernetes (any conformant cluster)", "kubernetes-any-conformant-cluster")]
    [InlineData("Platform: one shared Gateway", "platform-one-shared-gateway")]
    [InlineData("Moving a tenant from the StatefulSet to CloudNativePG", "moving-a-tenant-from-the-statefulset-to-cloudnativepg")]
    [InlineData("Snake_case and [a link](x.md)", "snake_case-and-a-link")]
    public void Headings_get_GitHubs_anchors(string heading, string anchor)
    {
        // GitHub's slugger (github-slugger, used by github.com's Markdown renderer): lowercase, punctuation but - and _ dropped, spaces to -.
        MarkdownLinks.Slug(heading).ShouldBe(anchor);
    }
}
