using System.Text.Json;
using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>The real repository this test run was built from, found as pulumi finds it: upwards to Pulumi.yaml.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ProjectWorkspace.ProjectFileName)))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No {ProjectWorkspace.ProjectFileName} above {AppContext.BaseDirectory}.");
    });

    public static string FullPath => Root.Value;

    /// <summary>The shipped workspace: Pulumi.yaml and the shipped stacks.</summary>
    public static ProjectWorkspace Workspace() => ProjectWorkspace.Open(FullPath);

    /// <summary>A shipped stack file's text (stacks/Pulumi.&lt;stack&gt;.yaml).</summary>
    public static string StackText(string stack) => File.ReadAllText(Path.Combine(FullPath, "stacks", $"Pulumi.{stack}.yaml"));

    /// <summary>
    /// A stack file's text as that of a kubernetes tenant deployed before the backups claim was retired says it
    /// (<c>storage.retiredBackupsClaim: true</c>, the RUNBOOK's step before the first <c>up</c> on this release).
    /// </summary>
    public static string WithRetiredBackupsClaim(string stackFileYaml) =>
        stackFileYaml.Replace("  os2borgerpc:tenant:\n", "  os2borgerpc:tenant:\n    storage:\n      retiredBackupsClaim: true\n", StringComparison.Ordinal);

    /// <summary>A shipped stack's resolved tenant; its problems are thrown when it does not load.</summary>
    public static Tenant Tenant(string stack) => FleetLoader.LoadStack(Workspace(), stack).Result.OrThrow();
}

/// <summary>
/// A throw-away repository: the real Pulumi.yaml (so tests see the shipped fleet defaults) and an empty
/// stacks/ folder, deleted on Dispose. Tests never touch the real stacks/.
/// </summary>
public sealed class TempRepository : IDisposable
{
    public TempRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), $"os2bpc-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(Root, "stacks"));
        File.Copy(Path.Combine(RepositoryRoot.FullPath, ProjectWorkspace.ProjectFileName), ProjectFile);
        // The Pulumi CLI version the fleet runs; the fleet commands read it.
        File.Copy(Path.Combine(RepositoryRoot.FullPath, PulumiCliPin.FileName), Path.Combine(Root, PulumiCliPin.FileName));
        // The platform project and its shipped stacks: tenants name a platform (platformStack in Pulumi.yaml).
        foreach (var folder in new[] { PlatformProjectFolder, PlatformStacksFolder })
        {
            var target = Directory.CreateDirectory(Path.Combine(Root, folder)).FullName;
            foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.FullPath, folder), "*.*").Where(f => f.EndsWith(".yaml") || f.EndsWith(".json")))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }
    }

    public const string PlatformProjectFolder = "infra/OS2BorgerPC.Deploy.PlatformProgram";
    public const string PlatformStacksFolder = "stacks/platform";

    public string Root { get; }

    public string ProjectFile => Path.Combine(Root, ProjectWorkspace.ProjectFileName);

    public string StackPath(string stack) => Path.Combine(Root, "stacks", $"Pulumi.{stack}.yaml");

    public ProjectWorkspace Open() => ProjectWorkspace.Open(Root);

    /// <summary>Records another Pulumi CLI version in .pulumi-version (e.g. the one the fake pulumi says it is).</summary>
    public TempRepository WithPulumiVersion(string version)
    {
        File.WriteAllText(Path.Combine(Root, PulumiCliPin.FileName), version + "\n");
        return this;
    }

    public TempRepository WithStack(string stack, string yaml)
    {
        File.WriteAllText(StackPath(stack), yaml);
        return this;
    }

    /// <summary>Replaces the <c>default:</c> of one fleet-wide key in Pulumi.yaml (the value is written quoted).</summary>
    public TempRepository WithFleetDefault(string key, string value)
    {
        var pattern = new Regex($@"(?m)^(  {Regex.Escape(key)}:\r?\n(?:    .*\r?\n)*?    default: ).*$");
        var text = File.ReadAllText(ProjectFile);
        if (!pattern.IsMatch(text))
        {
            throw new InvalidOperationException($"Pulumi.yaml declares no default for {key}.");
        }
        File.WriteAllText(ProjectFile, pattern.Replace(text, m => m.Groups[1].Value + JsonSerializer.Serialize(value), 1));
        return this;
    }

    /// <summary>A folder inside the repository, created.</summary>
    public string Folder(params string[] parts) =>
        Directory.CreateDirectory(Path.Combine([Root, .. parts])).FullName;

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
