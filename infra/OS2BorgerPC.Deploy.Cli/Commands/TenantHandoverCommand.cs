using System.CommandLine;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant handover</c>: the Danish hand-over document for the tenant's municipality; it holds no secret.</summary>
public static class TenantHandoverCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var slug = new Argument<string>("slug") { Description = "The tenant's slug (its stack name)." };
        var outputFile = new Option<string?>("--output", "-o") { Description = "Write the document to this file (Markdown) instead of standard output." };
        var command = new Command("handover", "The hand-over document (Danish, Markdown) for the tenant's municipality.") { slug, outputFile };
        command.SetAction(parse => context(parse).ForTenant(parse.GetRequiredValue(slug), tenant =>
        {
            var cli = context(parse);
            var document = HandoverDocument.Render(tenant);
            if (parse.GetValue(outputFile) is not { } file)
            {
                cli.Output.Line(document.TrimEnd());
                return CliContext.Success;
            }
            var path = Path.GetFullPath(file, cli.WorkingDirectory);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, document);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                cli.Output.Error($"{file} could not be written: {e.Message}");
                return CliContext.Failure;
            }
            cli.Output.Line($"Wrote the hand-over document for {tenant.DisplayName} to {file}. It holds no password: hand the admin password over separately (see its last section).");
            return CliContext.Success;
        }));
        return command;
    }
}
