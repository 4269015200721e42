namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>Finds a program as a shell does: the first folder on PATH that holds it as an executable file.</summary>
public static class ExecutableSearch
{
    /// <param name="name">The program, without extension (<c>pulumi</c>).</param>
    /// <param name="path">The PATH value to search.</param>
    /// <returns>The program's full path, or null when no folder on the path holds it.</returns>
    public static string? Find(string name, string? path)
    {
        var extensions = OperatingSystem.IsWindows()
            ? (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT").Split(';', StringSplitOptions.RemoveEmptyEntries)
            : [""];
        var folders = (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return folders
            .SelectMany(folder => extensions.Select(extension => Path.Combine(folder, name + extension)))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string file) =>
        File.Exists(file) && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
