using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>The CLI finds the repository as pulumi does: the nearest folder upwards with Pulumi.yaml.</summary>
public sealed class WorkspaceDiscoveryTests : IDisposable
{
    private readonly TempRepository _repository = new();
    private readonly string _outside = Directory.CreateTempSubdirectory("os2bpc-outside-").FullName;

    public WorkspaceDiscoveryTests() => _repository.Run("tenant", "new", "751").ShouldSucceed();

    public void Dispose()
    {
        _repository.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    [Fact]
    public void A_subfolder_finds_the_repository() =>
        CliRun.In(_repository.Folder("infra", "deep", "er"), "tenant", "check").ShouldSucceed();

    [Theory]
    [InlineData("-C")]
    [InlineData("--cwd")]
    public void The_cwd_option_points_at_the_repository(string option)
    {
        CliRun.In(_outside, option, _repository.Root, "tenant", "show", "aarhus").ShouldSucceed().Output.ShouldContain("os2borgerpc-aarhus");
        // After the subcommand too, and relative to the working directory.
        CliRun.In(_repository.Folder("docs"), "tenant", "list", option, "..").ShouldSucceed().Output.ShouldContain("aarhus.borgerpc.dk");
    }

    [Theory]
    [InlineData("tenant", "list")]
    [InlineData("tenant", "check")]
    [InlineData("tenant", "show", "aarhus")]
    [InlineData("tenant", "new", "751")]
    public void A_folder_outside_any_repository_gives_a_clear_error(params string[] args)
    {
        // The premise: nothing above the temp folder is a repository.
        Path.Exists(Path.Combine(Path.GetTempPath(), "Pulumi.yaml")).ShouldBeFalse();

        CliRun.In(_outside, args).ShouldFail("No Pulumi.yaml here or in any folder above.");
        Directory.EnumerateFileSystemEntries(_outside).ShouldBeEmpty();
    }

    [Fact]
    public void A_broken_Pulumi_yaml_gives_a_clear_error()
    {
        File.WriteAllText(_repository.ProjectFile, "name: [unclosed\n");

        _repository.Run("tenant", "list").ShouldFail("error: Pulumi.yaml: (line ");
    }
}
