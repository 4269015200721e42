using System.CommandLine;
using OS2BorgerPC.Deploy.Infra.Rendering;
using OS2BorgerPC.Deploy.Tenants.Rendering;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>
/// <c>tenant render</c>: the tenant's Kubernetes objects as YAML, for review. The program runs against mocks,
/// never an engine or a cluster: no secret is decrypted or generated, and every Secret value is a placeholder.
/// </summary>
public static class TenantRenderCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var slug = new Argument<string>("slug") { Description = "The tenant's slug (its stack name)." };
        var outputDirectory = new Option<string?>("--output", "-o") { Description = "Write one YAML file per object into this folder (new or empty) instead of standard output." };
        var command = new Command("render", "The tenant's Kubernetes objects as YAML (secret values replaced by placeholders), without a cluster.") { slug, outputDirectory };
        command.SetAction(parse =>
        {
            var cli = context(parse);
            var name = parse.GetRequiredValue(slug);
            return cli.ForTenant(name, _ => cli.InWorkspace(workspace =>
            {
                var manifests = Render(workspace.Root, workspace.ReadStack(name).Config!);
                if (parse.GetValue(outputDirectory) is not { } folder)
                {
                    cli.Output.Line(string.Join("---\n", manifests.Select(m => m.ToYaml())).TrimEnd());
                    return CliContext.Success;
                }
                var path = Path.GetFullPath(folder, cli.WorkingDirectory);
                if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
                {
                    cli.Output.Error($"{folder} is not empty. Render into a new or empty folder, so no object of an earlier render is left among them.");
                    return CliContext.Failure;
                }
                try
                {
                    Directory.CreateDirectory(path);
                    foreach (var manifest in manifests)
                    {
                        File.WriteAllText(Path.Combine(path, manifest.FileName), manifest.ToYaml());
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    cli.Output.Error($"{folder} could not be written: {e.Message}");
                    return CliContext.Failure;
                }
                cli.Output.Line($"Wrote {manifests.Count} objects of {name} to {folder}. Secret values are placeholders: pulumi up sets the real ones.");
                return CliContext.Success;
            }));
        });
        return command;
    }

    /// <summary>The program resolves paths from the repository it runs in (as under pulumi): it renders from there.</summary>
    private static IReadOnlyList<KubernetesManifest> Render(string root, Tenants.Configuration.StackConfig config)
    {
        var before = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(root);
        try
        {
            return TenantRender.RenderAsync(config).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.SetCurrentDirectory(before);
        }
    }
}
