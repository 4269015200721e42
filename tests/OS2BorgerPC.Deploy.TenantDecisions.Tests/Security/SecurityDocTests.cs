using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Security;

/// <summary>docs/SECURITY.md cites a test for every control: each cited test exists, under that class and name.</summary>
public sealed partial class SecurityDocTests
{
    [Fact]
    public void Every_test_the_threat_model_cites_exists()
    {
        var root = RepositoryRoot.FullPath;
        var doc = File.ReadAllText(Path.Combine(root, "docs", "SECURITY.md"));
        var sources = Directory.GetFiles(Path.Combine(root, "tests"), "*Tests.cs", SearchOption.AllDirectories)
            // Test projects may each have a class of the same name: a cited class is found in any of them.
            .GroupBy(path => Path.GetFileNameWithoutExtension(path))
            .ToDictionary(group => group.Key, group => string.Join("\n", group.Select(File.ReadAllText)));

        var cited = Cited().Matches(doc).Select(m => (Class: m.Groups["class"].Value, Method: m.Groups["method"].Value)).Distinct().ToList();

        cited.Count.ShouldBeGreaterThan(30);
        foreach (var (type, method) in cited)
        {
            sources.TryGetValue(type, out var source).ShouldBeTrue($"docs/SECURITY.md cites {type}.{method}, but there is no {type}.cs");
            source!.ShouldContain($" {method}(", customMessage: $"docs/SECURITY.md cites {type}.{method}, which does not exist");
        }
    }

    [GeneratedRegex(@"`(?<class>[A-Z][A-Za-z]+Tests)\.(?<method>[A-Za-z_]+)`")]
    private static partial Regex Cited();
}
