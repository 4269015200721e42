using System.Diagnostics;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests.Support;

/// <summary>One finished run of a program: exit code and everything it wrote.</summary>
public sealed record ProgramRun(string Command, int ExitCode, string Output, string Error)
{
    public string Transcript => $"{Command}\nexit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";

    public ProgramRun ShouldSucceed()
    {
        ExitCode.ShouldBe(0, Transcript);
        return this;
    }

    public ProgramRun ShouldFail()
    {
        ExitCode.ShouldNotBe(0, Transcript);
        return this;
    }
}

/// <summary>
/// A program installed on this machine. A missing one fails the test with the package to install
/// (.ci/install-test-programs installs them all): these tests never skip silently.
/// </summary>
public sealed record RealProgram(string Path)
{
    /// <summary>Runs what must not run as root when the tests do; every Debian has it.</summary>
    public const string UnprivilegedUser = "nobody";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // nginx lives in /usr/sbin, which an ordinary user's PATH may lack.
    private static readonly string[] ExtraSearchPath = ["/usr/sbin", "/sbin"];

    /// <summary>Tests run as root in the dev container; initdb refuses root and the container's nginx is not root.</summary>
    public static bool RunningAsRoot => Environment.UserName == "root";

    public static RealProgram Find(string name, string package)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(ExtraSearchPath)
            .Select(dir => System.IO.Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        return path is null ? throw Missing(name, package) : new RealProgram(path);
    }

    /// <summary>A program in a known folder, e.g. the PostgreSQL server's bin folder.</summary>
    public static RealProgram In(string directory, string name, string package)
    {
        var path = System.IO.Path.Combine(directory, name);
        return File.Exists(path) ? new RealProgram(path) : throw Missing(path, package);
    }

    /// <summary>Lets the unprivileged user write into a folder of the test (rwxrwxrwx; folders under the temp folder only).</summary>
    public static DirectoryInfo OpenToUnprivileged(DirectoryInfo folder)
    {
        folder.UnixFileMode = (UnixFileMode)0b111_111_111;
        return folder;
    }

    public static InvalidOperationException Missing(string program, string package) => new(
        $"{program} is not installed on this machine: install the Debian package '{package}' (.ci/install-test-programs installs everything these tests need).");

    /// <param name="environment">Set on top of this process's environment; a null value removes the variable.</param>
    public ProgramRun Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null) =>
        Execute(Path, [.. arguments], environment, workingDirectory);

    /// <summary>
    /// As <see cref="UnprivilegedUser"/> when the tests run as root, else as the current user. Output goes
    /// through files that user owns: it cannot reopen root's pipes (nginx opens /dev/stderr by name),
    /// just as runc hands a container's stdio to the container's user.
    /// </summary>
    public ProgramRun RunUnprivileged(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        if (!RunningAsRoot)
        {
            return Run(arguments, environment, workingDirectory);
        }
        var capture = Directory.CreateTempSubdirectory("os2bpc-run-");
        try
        {
            OpenToUnprivileged(capture);
            var output = System.IO.Path.Combine(capture.FullName, "stdout");
            var error = System.IO.Path.Combine(capture.FullName, "stderr");
            var wrapped = Execute(Find("runuser", "util-linux").Path, ["-u", UnprivilegedUser, "--", "/bin/sh", "-c", "out=$1 err=$2; shift 2; exec \"$@\" >\"$out\" 2>\"$err\"",
                "sh", output, error, Path, .. arguments], environment, workingDirectory);
            return wrapped with
            {
                Command = ChildProcess.Describe(Path, arguments),
                Output = wrapped.Output + ReadIfExists(output),
                Error = wrapped.Error + ReadIfExists(error),
            };
        }
        finally
        {
            capture.Delete(recursive: true);
        }
    }

    private static ProgramRun Execute(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment, string? workingDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory ?? System.IO.Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Only what a test sets decides where libpq connects and with which password.
        foreach (var inherited in start.Environment.Keys.Where(key => key.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }
        // Untranslated messages; UTF-8 so non-ASCII rows pass through psql unchanged.
        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var (exitCode, output, error) = ChildProcess.Run(start, Timeout);
        return new ProgramRun(ChildProcess.Describe(program, arguments), exitCode, output, error);
    }

    private static string ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
