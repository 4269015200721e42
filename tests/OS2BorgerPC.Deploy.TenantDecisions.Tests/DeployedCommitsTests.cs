using OS2BorgerPC.Deploy.TenantDecisions.Fleet;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>
/// The deploy selects every tenant whose deployed commit is behind main in a way that reaches it, so a tenant
/// whose update failed (its tag unchanged) is selected again by the next deploy.
/// </summary>
public sealed class DeployedCommitsTests
{
    private static readonly string[] Fleet = ["aarhus", "demo", "faelles-it"];
    private static readonly string Old = new('a', 40), Recent = new('b', 40), Head = new('c', 40), Rewritten = new('d', 40);

    /// <summary>The history: Old changed the program (every tenant), Recent changed Aarhus's stack file.</summary>
    private static IReadOnlyList<string>? ChangedSince(string commit) => commit switch
    {
        _ when commit == Old => ["infra/OS2BorgerPC.Deploy.TenantProgram/TenantStack.cs", "stacks/Pulumi.aarhus.yaml"],
        _ when commit == Recent => ["stacks/Pulumi.aarhus.yaml", "docs/RUNBOOK.md"],
        _ when commit == Head => [],
        _ => null,
    };

    [Fact]
    public void A_tenant_whose_last_update_failed_is_selected_again()
    {
        // demo's update at Recent failed: its tag still says Old, so the program change since Old reaches it.
        var deployed = new Dictionary<string, string?> { ["aarhus"] = Head, ["demo"] = Old, ["faelles-it"] = Head };

        DeployedCommits.Behind(deployed, Fleet, "stacks", ChangedSince).Select(b => b.Stack).ShouldBe(["demo"]);
    }

    [Fact]
    public void Only_the_changes_since_each_tenants_own_commit_count()
    {
        var deployed = new Dictionary<string, string?> { ["aarhus"] = Recent, ["demo"] = Recent, ["faelles-it"] = Head };

        DeployedCommits.Behind(deployed, Fleet, "stacks", ChangedSince).Select(b => b.Stack).ShouldBe(["aarhus"]);
    }

    [Fact]
    public void A_tenant_without_a_tag_or_with_a_commit_main_does_not_have_is_selected()
    {
        var deployed = new Dictionary<string, string?> { ["aarhus"] = "", ["demo"] = Rewritten, ["faelles-it"] = "--output=/tmp/x" };

        var behind = DeployedCommits.Behind(deployed, [.. Fleet, "new-tenant"], "stacks", ChangedSince);

        behind.Select(b => b.Stack).ShouldBe(["aarhus", "demo", "faelles-it", "new-tenant"]);
        behind.Single(b => b.Stack == "demo").Reason.ShouldContain("not in main's history");
        behind.Single(b => b.Stack == "faelles-it").Reason.ShouldContain("is not a commit ID");
    }

    [Fact]
    public void Git_is_asked_once_per_distinct_deployed_commit()
    {
        var asked = new List<string>();
        var deployed = Fleet.ToDictionary(s => s, _ => (string?)Old);

        DeployedCommits.Behind(deployed, Fleet, "stacks", commit => { asked.Add(commit); return ChangedSince(commit); });

        asked.ShouldBe([Old]);
    }

    [Theory]
    [InlineData("{\"aarhus\": \"" + "0123456789012345678901234567890123456789" + "\", \"demo\": \"\", \"faelles-it\": null}", 3)]
    public void The_deployed_commits_file_is_read(string json, int stacks)
    {
        var (deployed, error) = DeployedCommits.Read(json, "deployed.json");

        error.ShouldBeNull();
        deployed.ShouldNotBeNull().Count.ShouldBe(stacks);
        deployed["demo"].ShouldBe("");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{")]
    public void A_malformed_deployed_commits_file_is_an_error(string json) =>
        DeployedCommits.Read(json, "deployed.json").Error.ShouldNotBeNull().ShouldStartWith("deployed.json");
}
