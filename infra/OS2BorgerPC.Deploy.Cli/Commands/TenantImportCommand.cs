using System.CommandLine;
using OS2BorgerPC.Deploy.Cli.Import;
using OS2BorgerPC.Deploy.Cli.Processes;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant import</c>: an existing installation's database dump and /media archive into a provisioned tenant.</summary>
public static class TenantImportCommand
{
    public static Command Create(Func<ParseResult, CliContext> context, Shell shell)
    {
        var slug = new Argument<string>("slug") { Description = "The tenant's slug (its stack name); the tenant must be provisioned (pulumi up)." };
        var dump = new Option<string>("--dump") { Description = "The old database: plain SQL (the official kit's 'task backup_db') or pg_dump --format=custom.", Required = true };
        var media = new Option<string>("--media") { Description = "The old /media folder's contents as .tar.gz.", Required = true };
        var replace = new Option<bool>("--replace") { Description = "Replace a database that is not empty, and the contents of /media; the tenant's backup runs first." };
        var kubeContext = new Option<string?>("--context") { Description = "kubeconfig context of the tenant's cluster; default: the tenant's cluster.context, else the current one." };
        var command = new Command("import", "Import an existing OS2BorgerPC installation (database dump and /media archive) into a tenant.")
        {
            slug, dump, media, replace, kubeContext,
        };
        command.SetAction(parse => context(parse).ForTenant(parse.GetRequiredValue(slug), tenant =>
        {
            var cli = context(parse);
            var request = new ImportRequest(
                Path.GetFullPath(parse.GetRequiredValue(dump), cli.WorkingDirectory),
                Path.GetFullPath(parse.GetRequiredValue(media), cli.WorkingDirectory),
                parse.GetValue(replace),
                parse.GetValue(kubeContext));
            return new TenantImport(shell, cli.Output).Run(tenant, request);
        }));
        return command;
    }
}
