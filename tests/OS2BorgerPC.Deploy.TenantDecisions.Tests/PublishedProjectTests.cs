using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>The fleet runner's copy of Pulumi.yaml: the published program, and everything else as the repository has it.</summary>
public sealed class PublishedProjectTests : IDisposable
{
    private readonly TempRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void The_copy_runs_the_published_binary_with_the_repository_s_program_folder_stacks_and_fleet_defaults()
    {
        _repository.WithFleetDefault("adminSiteVersion", "7.2.0");
        var folder = _repository.Folder("build", "project");
        var project = PublishedProject.Of(_repository.Open());

        project.Write(folder, "/cache/program/OS2BorgerPC.Deploy.TenantProgram.dll");

        project.ProgramFolder.ShouldBe(Path.Combine(_repository.Root, "infra", "OS2BorgerPC.Deploy.TenantProgram"));
        var copy = ProjectWorkspace.Open(folder);
        copy.ProjectName.ShouldBe("os2borgerpc");
        copy.StackConfigDir.ShouldBe(Path.Combine(_repository.Root, "stacks"));
        Texts(copy).ShouldBe(Texts(_repository.Open()));
        Texts(copy)["os2borgerpc:adminSiteVersion"].ShouldBe("\"7.2.0\"");
        var text = File.ReadAllText(Path.Combine(folder, "Pulumi.yaml"));
        text.ShouldContain("""
            runtime:
              name: dotnet
              options:
                binary: /cache/program/OS2BorgerPC.Deploy.TenantProgram.dll
            """.ReplaceLineEndings("\n"));
        text.ShouldContain("main: ../../infra/OS2BorgerPC.Deploy.TenantProgram");
        text.ShouldContain("stackConfigDir: ../../stacks");
    }

    private static Dictionary<string, string?> Texts(ProjectWorkspace workspace) =>
        workspace.ProjectDefaults.ToDictionary(d => d.Key, d => d.Value?.ToJsonString());

    [Fact]
    public void The_repository_s_Pulumi_yaml_is_not_touched()
    {
        var before = File.ReadAllText(_repository.ProjectFile);

        PublishedProject.Of(_repository.Open()).Write(_repository.Folder("elsewhere"), "/cache/program/OS2BorgerPC.Deploy.TenantProgram.dll");

        File.ReadAllText(_repository.ProjectFile).ShouldBe(before);
    }
}
