using OS2BorgerPC.Deploy.Cli.Fleet;

namespace OS2BorgerPC.Deploy.Cli.Tests.Fleet;

public sealed class ExecutableSearchTests : IDisposable
{
    private readonly string _first = Directory.CreateTempSubdirectory("os2bpc-path-").FullName;
    private readonly string _second = Directory.CreateTempSubdirectory("os2bpc-path-").FullName;

    public void Dispose()
    {
        Directory.Delete(_first, recursive: true);
        Directory.Delete(_second, recursive: true);
    }

    [Fact]
    public void The_first_folder_on_the_path_with_the_program_wins()
    {
        var program = Program(_second);
        Program(Path.Combine(_first, "elsewhere"));

        ExecutableSearch.Find("pulumi", $"{_first}{Path.PathSeparator}{_second}").ShouldBe(program);
        ExecutableSearch.Find("pulumi", $"{Path.Combine(_first, "elsewhere")}{Path.PathSeparator}{_second}").ShouldBe(Path.Combine(_first, "elsewhere", Path.GetFileName(program)));
    }

    [Fact]
    public void No_folder_with_the_program_finds_nothing()
    {
        ExecutableSearch.Find("pulumi", _first).ShouldBeNull();
        ExecutableSearch.Find("pulumi", "").ShouldBeNull();
        ExecutableSearch.Find("pulumi", null).ShouldBeNull();
    }

    [Fact]
    public void A_file_that_is_not_executable_is_not_the_program()
    {
        // On Windows the name's extension (PATHEXT) makes a program; elsewhere the execute bit.
        var name = OperatingSystem.IsWindows() ? "pulumi.txt" : "pulumi";
        File.WriteAllText(Path.Combine(_first, name), "not a program");

        ExecutableSearch.Find("pulumi", _first).ShouldBeNull();
    }

    private static string Program(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, OperatingSystem.IsWindows() ? "pulumi.exe" : "pulumi");
        File.WriteAllText(path, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }
}
