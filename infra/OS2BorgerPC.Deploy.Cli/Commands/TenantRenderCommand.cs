using System.CommandLine;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantProgram.Rendering;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Rendering;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>
/// <c>tenant render</c>: the tenant's Kubernetes objects as YAML, for review. The program runs against mocks,
/// never an engine or a cluster: no secret is decrypted or generated, and every Secret value is a placeholder.
/// The objects come in apply order, and each file name begins with its stage: the folder (or the stream) applies
/// as it is with one <c>kubectl apply -f</c> on a cluster that has the platform.
/// </summary>
public static class TenantRenderCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var slug = new Argument<string>("slug") { Description = "The tenant's slug (its stack name)." };
        var outputDirectory = new Option<string?>("--output", "-o") { Description = "Write one YAML file per object into this folder (new or empty) instead of standard output." };
        var platformFacts = new Option<string?>("--platform-facts") { Description = $"The platform stack's recorded {PlatformFacts.OutputName} output (pulumi stack output {PlatformFacts.OutputName} --json); not needed for a tenant with its own platform.factsFile." };
        var command = new Command("render", "The tenant's Kubernetes objects as YAML (secret values replaced by placeholders), without a cluster.") { slug, outputDirectory, platformFacts };
        command.SetAction(parse =>
        {
            var cli = context(parse);
            var name = parse.GetRequiredValue(slug);
            return cli.ForTenant(name, tenant => cli.InWorkspace(workspace =>
            {
                PlatformFacts? platform = null;
                if (parse.GetValue(platformFacts) is { } factsFile)
                {
                    var (json, readError) = ReadJson(Path.GetFullPath(factsFile, cli.WorkingDirectory));
                    if (readError is not null)
                    {
                        cli.Output.Error($"--platform-facts: {factsFile} cannot be read: {readError} Record it with 'pulumi stack output {PlatformFacts.OutputName} --json --stack {tenant.Platform.StackName} > {factsFile}'.");
                        return CliContext.Failure;
                    }
                    var (facts, problems) = PlatformFacts.Parse(tenant.Platform.StackName, "--platform-facts", json);
                    if (facts is null)
                    {
                        cli.Output.Problems(problems);
                        return CliContext.Failure;
                    }
                    platform = facts;
                }
                else if (tenant.Platform.FactsFile is null)
                {
                    cli.Output.Error($"{name} reads its platform from stack {tenant.Platform.Stack}: record its facts with 'pulumi stack output {PlatformFacts.OutputName} --json --stack {tenant.Platform.StackName} > facts.json' and pass --platform-facts facts.json.");
                    return CliContext.Failure;
                }
                var (manifests, errors) = Render(workspace.Root, workspace.ReadStack(name).Config!, platform);
                if (manifests is null)
                {
                    foreach (var error in errors)
                    {
                        cli.Output.Error(error);
                    }
                    return CliContext.Failure;
                }
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
    private static (JsonNode? Json, string? Error) ReadJson(string path)
    {
        try
        {
            return (JsonNode.Parse(File.ReadAllText(path)), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return (null, e.Message);
        }
    }

    private static (IReadOnlyList<KubernetesManifest>? Manifests, IReadOnlyList<string> Errors) Render(string root, TenantDecisions.Configuration.StackConfig config, PlatformFacts? platform)
    {
        var before = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(root);
        try
        {
            return TenantRender.RenderAsync(config, platform).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.SetCurrentDirectory(before);
        }
    }
}
