using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>
/// <c>tenant changed</c> in a real git repository: a branch off main with two tenants, as a pull request
/// sees it. Stdout is the JSON array a CI matrix reads; stderr says why.
/// </summary>
public sealed class TenantChangedTests : IDisposable
{
    private readonly TempRepository _repository = new();

    public TenantChangedTests()
    {
        _repository.Run("tenant", "new", "751").ShouldSucceed();
        _repository.Run("tenant", "new", "461").ShouldSucceed();
        File.WriteAllText(Path.Combine(_repository.Folder("templates"), "backup.sh"), "#!/bin/sh\n");
        Git("init", "--quiet", "--initial-branch=main");
        Commit("two tenants");
        Git("switch", "--quiet", "--create", "feature");
    }

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void A_changed_stack_file_previews_its_tenant_only()
    {
        Edit("stacks/Pulumi.aarhus.yaml");
        Commit("aarhus: larger");

        var run = Changed("--base", "main");

        run.Tenants.ShouldBe(["aarhus"]);
        run.Error.ShouldBe("aarhus: stacks/Pulumi.aarhus.yaml changed\n", StringCompareShould.IgnoreLineEndings);
    }

    [Fact]
    public void Shared_code_previews_every_tenant()
    {
        Edit("templates/backup.sh");
        Edit("README.md");
        Commit("backup script");

        var run = Changed("--base", "main");

        run.Tenants.ShouldBe(["aarhus", "odense"]);
        run.Error.ShouldContain("every tenant (2): shared code or config changed: templates/backup.sh");
    }

    [Fact]
    public void Docs_alone_preview_no_tenant()
    {
        Edit("README.md");
        Edit("docs/RUNBOOK.md");
        Commit("docs");

        var run = Changed("--base", "main");

        run.Tenants.ShouldBeEmpty();
        run.Error.ShouldContain("no tenant: the changed files deploy nothing");
    }

    [Fact]
    public void A_deleted_stack_file_is_reported_as_removed_and_not_previewed()
    {
        Git("rm", "--quiet", "stacks/Pulumi.odense.yaml");
        Commit("offboard odense");

        var run = Changed("--base", "main");

        run.Tenants.ShouldBeEmpty();
        run.Error.ShouldContain("removed: odense: its stack file was deleted, so there is nothing to preview.");
    }

    [Fact]
    public void A_renamed_stack_file_is_the_old_tenant_removed_and_the_new_one_previewed()
    {
        Git("mv", "stacks/Pulumi.odense.yaml", "stacks/Pulumi.odense-kommune.yaml");
        Commit("rename");

        var run = Changed("--base", "main");

        run.Tenants.ShouldBe(["odense-kommune"]);
        run.Error.ShouldContain("removed: odense:");
    }

    [Fact]
    public void Only_the_branchs_own_commits_count_not_what_main_did_since()
    {
        Edit("stacks/Pulumi.aarhus.yaml");
        Commit("aarhus on the branch");
        Git("switch", "--quiet", "main");
        Edit("stacks/Pulumi.odense.yaml");
        Commit("odense on main meanwhile");
        Git("switch", "--quiet", "feature");

        Changed("--base", "main").Tenants.ShouldBe(["aarhus"]);
    }

    [Fact]
    public void An_unknown_base_fails_with_how_to_fetch_it() =>
        _repository.Run("tenant", "changed", "--base", "origin/nosuch")
            .ShouldFail("error: git diff origin/nosuch...HEAD failed: fatal: ambiguous argument 'origin/nosuch...HEAD'")
            .Error.ShouldContain("actions/checkout with fetch-depth: 0");

    [Fact]
    public void A_base_that_looks_like_an_option_is_refused() =>
        _repository.Run("tenant", "changed", "--base", "--output=/tmp/x").ShouldFail("--base: '--output=/tmp/x' is not a git revision.");

    [Fact]
    public void Changed_files_can_be_given_as_a_list()
    {
        var list = Path.Combine(_repository.Root, "changed.txt");
        File.WriteAllText(list, "README.md\r\n\r\nstacks/Pulumi.odense.yaml\r\nstacks/Pulumi.gone.yaml\r\n");

        var run = Changed("--files", "changed.txt");

        run.Tenants.ShouldBe(["odense"]);
        run.Error.ShouldContain("removed: gone:");
    }

    [Fact]
    public void A_missing_list_fails() =>
        _repository.Run("tenant", "changed", "--files", "nosuch.txt").ShouldFail("--files: ").Error.ShouldContain("nosuch.txt does not exist");

    [Theory]
    [InlineData]
    [InlineData("--base", "main", "--files", "changed.txt")]
    public void Exactly_one_source_of_changes_is_required(params string[] options) =>
        _repository.Run(["tenant", "changed", .. options]).ShouldFail("Give exactly one of --base <git revision>, --files <file> or --deployed <file>.");

    [Fact]
    public void A_deploy_selects_the_tenants_whose_deployed_commit_is_behind_in_a_way_that_reaches_them()
    {
        var deployed = Git("rev-parse", "HEAD");
        Edit("stacks/Pulumi.aarhus.yaml");
        Commit("aarhus: larger");
        WriteDeployed(new() { ["aarhus"] = deployed, ["odense"] = deployed });

        var run = Changed("--deployed", "deployed.json");

        run.Tenants.ShouldBe(["aarhus"]);
        run.Error.ShouldContain($"aarhus: changes since its deployed commit {deployed[..12]} reach it");
    }

    [Fact]
    public void A_tenant_whose_update_failed_is_selected_again_by_the_next_deploy()
    {
        var first = Git("rev-parse", "HEAD");
        Edit("templates/backup.sh");
        Commit("backup script: every tenant");
        var second = Git("rev-parse", "HEAD");
        Edit("README.md");
        Commit("docs only");
        // aarhus was updated to the second commit; odense's update failed, so its tag still names the first.
        WriteDeployed(new() { ["aarhus"] = second, ["odense"] = first });

        Changed("--deployed", "deployed.json").Tenants.ShouldBe(["odense"]);
    }

    [Fact]
    public void A_tenant_without_a_tag_or_with_a_commit_off_the_history_is_selected()
    {
        var head = Git("rev-parse", "HEAD");
        WriteDeployed(new() { ["aarhus"] = "", ["odense"] = new string('f', 40) });

        var run = Changed("--deployed", "deployed.json");

        run.Tenants.ShouldBe(["aarhus", "odense"]);
        run.Error.ShouldContain("odense: deployed commit ffffffffffff is not in main's history");
        WriteDeployed(new() { ["aarhus"] = head, ["odense"] = head });
        Changed("--deployed", "deployed.json").Tenants.ShouldBeEmpty();
    }

    private void WriteDeployed(Dictionary<string, string> deployed) =>
        File.WriteAllText(Path.Combine(_repository.Root, "deployed.json"), JsonSerializer.Serialize(deployed));

    private (string[] Tenants, string Error) Changed(params string[] options)
    {
        var run = _repository.Run(["tenant", "changed", .. options]);
        run.ExitCode.ShouldBe(0, run.Error);
        // One line of JSON: what a GitHub Actions output takes.
        run.Output.TrimEnd().ShouldNotContain('\n');
        return (JsonSerializer.Deserialize<string[]>(run.Output)!, run.Error);
    }

    private void Edit(string path)
    {
        var file = Path.Combine(_repository.Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.AppendAllText(file, "# changed\n");
    }

    private void Commit(string message)
    {
        Git("add", "--all");
        Git("-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", "commit", "--quiet", "-m", message);
    }

    private string Git(params string[] args)
    {
        var result = CliWrap.Cli.Wrap("git").WithArguments(args).WithWorkingDirectory(_repository.Root)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync().GetAwaiter().GetResult();
        result.ExitCode.ShouldBe(0, $"git {string.Join(' ', args)}: {result.StandardError}");
        return result.StandardOutput.Trim();
    }
}
