using OS2BorgerPC.Deploy.TenantDecisions.Fleet;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>Which tenants a pull request previews (and a merge updates), decided from the changed files alone.</summary>
public sealed class TenantChangesTests
{
    private static readonly string[] Fleet = ["aarhus", "demo", "faelles-it"];

    public static TheoryData<string, ChangeReach, string?> Files() => new()
    {
        // A tenant's own stack file.
        { "stacks/Pulumi.aarhus.yaml", ChangeReach.OneTenant, "aarhus" },
        { "stacks/Pulumi.faelles-it.yaml", ChangeReach.OneTenant, "faelles-it" },
        { @"stacks\Pulumi.demo.yaml", ChangeReach.OneTenant, "demo" },
        { "./stacks/Pulumi.demo.yaml", ChangeReach.OneTenant, "demo" },
        // Not stack files: Pulumi reads only stacks/Pulumi.<stack>.yaml.
        { "stacks/README.md", ChangeReach.None, null },
        { "stacks/Pulumi.aarhus.yml", ChangeReach.None, null },
        { "stacks/old/Pulumi.aarhus.yaml", ChangeReach.None, null },
        { "Pulumi.aarhus.yaml", ChangeReach.None, null },
        { "stacks/Pulumi..yaml", ChangeReach.None, null },
        // The project file and the build every stack shares.
        { "Pulumi.yaml", ChangeReach.AllTenants, null },
        { "Directory.Packages.props", ChangeReach.AllTenants, null },
        { "Directory.Build.props", ChangeReach.AllTenants, null },
        { "Directory.Build.targets", ChangeReach.AllTenants, null },
        { "nuget.config", ChangeReach.AllTenants, null },
        { "NuGet.Config", ChangeReach.AllTenants, null },
        { "global.json", ChangeReach.AllTenants, null },
        // TenantProgram and the TenantDecisions it decides with.
        { "infra/OS2BorgerPC.Deploy.TenantProgram/TenantStack.cs", ChangeReach.AllTenants, null },
        { "infra/OS2BorgerPC.Deploy.TenantProgram/Components/AdminSite.cs", ChangeReach.AllTenants, null },
        { "infra/OS2BorgerPC.Deploy.TenantProgram/OS2BorgerPC.Deploy.TenantProgram.csproj", ChangeReach.AllTenants, null },
        { "infra/OS2BorgerPC.Deploy.TenantDecisions/Model/SizeTier.cs", ChangeReach.AllTenants, null },
        { "infra/OS2BorgerPC.Deploy.TenantDecisions/Municipalities/municipalities.csv", ChangeReach.AllTenants, null },
        // The templates the program renders or ships into pods; the stack file template is the CLI's alone.
        { "templates/backup.sh", ChangeReach.AllTenants, null },
        { "templates/media-nginx.conf.scriban", ChangeReach.AllTenants, null },
        { "templates/postgres-init.sh", ChangeReach.AllTenants, null },
        { "templates/tenant-stack.yaml.scriban", ChangeReach.None, null },
        // Docs, tests, CI and the operator's CLI deploy nothing.
        { "README.md", ChangeReach.None, null },
        { "infra/OS2BorgerPC.Deploy.TenantProgram/README.md", ChangeReach.None, null },
        { "docs/RUNBOOK.md", ChangeReach.None, null },
        { "CONTRIBUTING.md", ChangeReach.None, null },
        { "tests/run.sh", ChangeReach.None, null },
        { "tests/Directory.Build.props", ChangeReach.None, null },
        { "tests/OS2BorgerPC.Deploy.TenantProgram.Tests/KubernetesTenantTests.cs", ChangeReach.None, null },
        { ".github/workflows/preview.yml", ChangeReach.None, null },
        { ".ci/run", ChangeReach.None, null },
        { "infra/OS2BorgerPC.Deploy.Cli/Commands/TenantListCommand.cs", ChangeReach.None, null },
        { "infra/OS2BorgerPC.Deploy.Cli/OS2BorgerPC.Deploy.Cli.csproj", ChangeReach.None, null },
        { "OS2BorgerPC.Deploy.sln", ChangeReach.None, null },
        { ".gitignore", ChangeReach.None, null },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void A_changed_file_reaches_its_tenant_every_tenant_or_none(string path, ChangeReach reach, string? stack)
    {
        var file = TenantChanges.Classify(path, "stacks");

        file.Reach.ShouldBe(reach, path);
        file.Stack.ShouldBe(stack, path);
    }

    public static TheoryData<string[], string[], string[]> ChangeSets() => new()
    {
        // changed files, tenants to preview, removed tenants
        { ["stacks/Pulumi.aarhus.yaml"], ["aarhus"], [] },
        { ["stacks/Pulumi.faelles-it.yaml", "stacks/Pulumi.aarhus.yaml", "README.md"], ["aarhus", "faelles-it"], [] },
        { ["stacks/Pulumi.aarhus.yaml", "stacks/Pulumi.aarhus.yaml"], ["aarhus"], [] },
        { ["infra/OS2BorgerPC.Deploy.TenantProgram/Components/BackupJob.cs"], Fleet, [] },
        { ["stacks/Pulumi.aarhus.yaml", "templates/backup.sh"], Fleet, [] },
        { ["Pulumi.yaml"], Fleet, [] },
        { ["README.md", "docs/RUNBOOK.md", "tests/run.sh", ".github/workflows/ci.yml", "infra/OS2BorgerPC.Deploy.Cli/CliApp.cs"], [], [] },
        { [], [], [] },
        // A deleted stack file: reported as removed, never previewed, even when every tenant is.
        { ["stacks/Pulumi.odense.yaml"], [], ["odense"] },
        { ["stacks/Pulumi.odense.yaml", "stacks/Pulumi.demo.yaml"], ["demo"], ["odense"] },
        { ["stacks/Pulumi.odense.yaml", "Directory.Packages.props"], Fleet, ["odense"] },
    };

    [Theory]
    [MemberData(nameof(ChangeSets))]
    public void A_change_set_previews_the_tenants_it_reaches_and_reports_removed_ones(string[] changed, string[] tenants, string[] removed)
    {
        var changes = TenantChanges.Decide(changed, Fleet, "stacks");

        changes.Tenants.ShouldBe(tenants);
        changes.Removed.ShouldBe(removed);
    }

    [Fact]
    public void A_new_stack_file_is_previewed_as_its_tenant()
    {
        var changes = TenantChanges.Decide(["stacks/Pulumi.odense.yaml"], [.. Fleet, "odense"], "stacks");

        changes.Tenants.ShouldBe(["odense"]);
        changes.Removed.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(".", "Pulumi.aarhus.yaml")]
    [InlineData("config/stacks/", "config/stacks/Pulumi.aarhus.yaml")]
    public void Stack_files_are_found_in_the_configured_stack_folder(string stackDirectory, string path)
    {
        TenantChanges.Classify(path, stackDirectory).ShouldBe(new ChangedFile(path, ChangeReach.OneTenant, "aarhus"));
        TenantChanges.Classify("stacks/Pulumi.aarhus.yaml", stackDirectory).Reach.ShouldBe(ChangeReach.None);
    }

    [Fact]
    public void The_project_file_is_never_taken_for_a_stack_file_in_a_root_stack_folder() =>
        TenantChanges.Classify("Pulumi.yaml", ".").Reach.ShouldBe(ChangeReach.AllTenants);

    [Fact]
    public void Every_changed_file_is_reported_with_its_reach()
    {
        var changes = TenantChanges.Decide([" stacks/Pulumi.demo.yaml ", "", "templates/backup.sh", "README.md"], Fleet, "stacks");

        changes.Files.ShouldBe([
            new ChangedFile("stacks/Pulumi.demo.yaml", ChangeReach.OneTenant, "demo"),
            new ChangedFile("templates/backup.sh", ChangeReach.AllTenants),
            new ChangedFile("README.md", ChangeReach.None),
        ]);
    }
}
