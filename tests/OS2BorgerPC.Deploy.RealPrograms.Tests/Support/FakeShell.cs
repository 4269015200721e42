namespace OS2BorgerPC.Deploy.RealPrograms.Tests.Support;

/// <summary>
/// A kit script run by dash with fake programs first on PATH: each fake logs its calls to <c>$FAKE_LOG</c> and
/// may keep state in <c>$FAKE_DIR</c>.
/// </summary>
public static class FakeShell
{
    /// <param name="fakes">Program name and its shell text.</param>
    /// <param name="syntaxOnly">Only check the script's syntax (dash -n).</param>
    public static (ProgramRun Run, string[] Calls) Run(string script, IReadOnlyDictionary<string, string> fakes,
        IReadOnlyDictionary<string, string?> environment, bool syntaxOnly = false)
    {
        var dash = RealProgram.Find("dash", "dash");
        var folder = Directory.CreateTempSubdirectory("os2bpc-script-");
        try
        {
            foreach (var (name, text) in fakes)
            {
                var fake = Path.Combine(folder.FullName, name);
                File.WriteAllText(fake, text.Replace("\r", "") + "\n");
                File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
            }
            var log = Path.Combine(folder.FullName, "calls.log");
            File.WriteAllText(log, "");
            var path = Path.Combine(folder.FullName, "script.sh");
            File.WriteAllText(path, script);
            var env = new Dictionary<string, string?>(environment)
            {
                ["PATH"] = $"{folder.FullName}:{Environment.GetEnvironmentVariable("PATH")}",
                ["FAKE_LOG"] = log,
                ["FAKE_DIR"] = folder.FullName,
            };
            var run = dash.Run(syntaxOnly ? ["-n", path] : [path], env);
            return (run, File.ReadAllLines(log));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
