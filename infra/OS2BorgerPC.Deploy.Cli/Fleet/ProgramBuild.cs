using OS2BorgerPC.Deploy.Cli.Processes;

namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>The published program's assembly, or why it could not be built.</summary>
public sealed record ProgramBuildResult(string? Assembly, string? Failure)
{
    public static ProgramBuildResult Built(string assembly) => new(assembly, null);

    public static ProgramBuildResult Failed(string why) => new(null, why);
}

/// <summary>Builds the tenant program once for a fleet run, so that the stacks running at once never build it themselves.</summary>
public interface IProgramBuild
{
    ProgramBuildResult Publish(string programFolder, string outputFolder);
}

/// <summary>
/// <c>dotnet publish &lt;program&gt; -c Release -o &lt;folder&gt;</c> with the <paramref name="dotnet"/> found on PATH (the one
/// pulumi's .NET language host runs the program with); the assembly is the one the runtimeconfig.json names.
/// </summary>
public sealed class DotnetPublish(IProcessRunner processes, string dotnet) : IProgramBuild
{
    public const string Program = "dotnet";

    /// <summary>How many of the build's error lines the message shows (the rest are usually the same error's echoes).</summary>
    internal const int ErrorLines = 10;

    public ProgramBuildResult Publish(string programFolder, string outputFolder)
    {
        var result = processes.Run(new ProcessCall(dotnet, ["publish", programFolder, "--configuration", "Release", "--output", outputFolder, "--nologo"]));
        if (result.NotFound)
        {
            return ProgramBuildResult.Failed("dotnet is not installed (not found on PATH): install the .NET SDK (README, \"Set up\").");
        }
        if (!result.Succeeded)
        {
            var errors = $"{result.Output}\n{result.Error}".Split('\n').Select(l => l.Trim()).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(ErrorLines).ToList();
            return ProgramBuildResult.Failed(errors.Count > 0 ? string.Join('\n', errors) : result.Reason);
        }
        var config = Directory.Exists(outputFolder) ? Directory.GetFiles(outputFolder, "*.runtimeconfig.json") : [];
        return config.Length == 1
            ? ProgramBuildResult.Built(config[0][..^".runtimeconfig.json".Length] + ".dll")
            : ProgramBuildResult.Failed($"dotnet publish succeeded but {outputFolder} holds {config.Length} programs (runtimeconfig.json files), not one.");
    }
}
