using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests.Support;

/// <summary>
/// The kit's shell scripts, run as the containers run them: the text embedded in TenantDecisions
/// (what the ConfigMaps carry) under dash, the /bin/sh of the postgres:17-bookworm image, or under bash
/// where the script asks for it (the image's bash).
/// </summary>
public static class KitScript
{
    public static ProgramRun Run(string name, IReadOnlyDictionary<string, string?> environment)
    {
        var source = TemplateRenderer.Source(name);
        var shell = source.StartsWith("#!/bin/bash", StringComparison.Ordinal) ? RealProgram.Find("bash", "bash") : RealProgram.Find("dash", "dash");
        var folder = Directory.CreateTempSubdirectory("os2bpc-script-");
        try
        {
            var path = Path.Combine(folder.FullName, name);
            File.WriteAllText(path, source);
            return shell.Run([path], environment);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
