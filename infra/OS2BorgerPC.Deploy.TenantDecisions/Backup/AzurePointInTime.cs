using System.Globalization;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>
/// A point-in-time restore of an <c>azure</c> tenant (<c>tenant restore --at</c>). A flexible server restores only into
/// a new server ("A restore operation ... always creates a new database server with the name that you provide. It
/// doesn't overwrite the existing database server": MicrosoftDocs/azure-databases-docs
/// articles/postgresql/flexible-server/concepts-backup-restore.md, "Point-in-time recovery"), so the restore makes a
/// temporary server beside the tenant's, the restore Job dumps it and loads the dump into the tenant's own server
/// beside its data (the load of <c>--backup</c>), and the temporary server is deleted. These are the decisions of that
/// path, without Azure: the window, the temporary server's name and the <c>az</c> commands (each an argument list, no
/// secret in any: the dump logs in as the app, whose role and password the restored server holds as of the time).
/// </summary>
public static class AzurePointInTime
{
    public const string Program = "az";

    /// <summary>
    /// What can be recovered: from the server's <c>backup.earliestRestoreDate</c> (as <c>az postgres flexible-server show</c>
    /// prints it) to <paramref name="now"/> less the flexible server's own archive lag (<see cref="RecoveryObjectives.AzureWalDelay"/>,
    /// the kit's azure RPO: Azure restores from its snapshots and the WAL it has archived, and a time past the archived WAL cannot
    /// hold what was committed then); nothing when Azure names no earliest time yet (a server without its first snapshot).
    /// </summary>
    public static (DateTimeOffset? From, DateTimeOffset? Until) Window(DateTimeOffset? earliestRestoreDate, DateTimeOffset now)
    {
        var until = now - RecoveryObjectives.AzureWalDelay;
        return earliestRestoreDate is { } from && from <= until ? (from, until) : (null, null);
    }

    /// <summary>The earliest restore time in <c>az postgres flexible-server show --output json</c> (<c>backup.earliestRestoreDate</c>), or null.</summary>
    public static DateTimeOffset? EarliestRestoreDate(string showJson) =>
        DateTimeOffset.TryParse((string?)Parse(showJson)?["backup"]?["earliestRestoreDate"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    /// <summary>The server's host name in <c>az postgres flexible-server show --output json</c> (<c>fullyQualifiedDomainName</c>), or null.</summary>
    public static string? HostOf(string showJson) => (string?)Parse(showJson)?["fullyQualifiedDomainName"] is { Length: > 0 } host ? host : null;

    /// <summary>
    /// The temporary server: the tenant's server name and the restore's start, <c>-p</c> and <c>yyMMddHHmmss</c>, so one per
    /// restore and globally unique as the tenant's is. At most 63 characters, lowercase letters, digits and hyphens (the
    /// flexible server's rule; a 30-character slug makes a 49-character server name, 63 with the suffix).
    /// </summary>
    public static string ServerName(Tenant tenant, DateTimeOffset startedAt) =>
        $"{tenant.Names.PostgresServer}-p{startedAt.UtcDateTime.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture)}";

    /// <summary>Any temporary server of the tenant's, as an operator reads it (<see cref="ServerName"/>).</summary>
    public static string ServerNamePattern(Tenant tenant) => $"{tenant.Names.PostgresServer}-p<yyMMddHHmmss>";

    /// <summary>
    /// <c>az postgres flexible-server show</c> of a server in the tenant's resource group (a password is never part of
    /// what Azure answers).
    /// </summary>
    public static IReadOnlyList<string> Show(Tenant tenant, string server) =>
        ["postgres", "flexible-server", "show", "--resource-group", tenant.Names.ResourceGroup, "--name", server, "--output", "json"];

    /// <summary>
    /// <c>az postgres flexible-server restore</c> of the tenant's server as of <paramref name="at"/> into
    /// <paramref name="temporary"/>, in the tenant's resource group. Without --vnet/--subnet the CLI gives the new server
    /// the source's network (its delegated subnet and private DNS zone, or public access), and the service copies a public
    /// server's firewall rules, so the restore Job reaches it as it reaches the tenant's: Azure/azure-cli
    /// src/azure-cli/azure/cli/command_modules/postgresql flexible_server_custom_postgres.py flexible_server_restore
    /// ("parameters.network = source_server_object.network"; location from the source server), _params.py
    /// (--restore-time, ISO 8601 in UTC; --source-server a name in the same group); concepts-backup-restore.md
    /// "Post-restore tasks" (public access: rules are copied). In the zone of the kit's servers (<see cref="AzureSettings.DatabaseZone"/>).
    /// </summary>
    public static IReadOnlyList<string> Restore(Tenant tenant, string temporary, DateTimeOffset at) =>
    [
        "postgres", "flexible-server", "restore",
        "--resource-group", tenant.Names.ResourceGroup,
        "--name", temporary,
        "--source-server", tenant.Names.PostgresServer,
        "--restore-time", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture),
        "--zone", AzureSettings.DatabaseZone,
        "--output", "json",
    ];

    /// <summary><c>az postgres flexible-server delete</c> of the temporary server, without a prompt.</summary>
    public static IReadOnlyList<string> Delete(Tenant tenant, string temporary) =>
        ["postgres", "flexible-server", "delete", "--resource-group", tenant.Names.ResourceGroup, "--name", temporary, "--yes"];

    /// <summary>A command as an operator types it (no argument holds a space or a secret).</summary>
    public static string CommandLine(IReadOnlyList<string> arguments) => string.Join(' ', arguments.Prepend(Program));

    /// <summary>The plan's first step.</summary>
    public static string RecoverStep(Tenant tenant, string at) =>
        $"Restore the flexible server {tenant.Names.PostgresServer} as of {at} into a new server {ServerNamePattern(tenant)} " +
        $"in {tenant.Names.ResourceGroup} (same region and network, its firewall rules copied; 'az postgres flexible-server restore', as az's current subscription), " +
        "while the admin site runs; nothing of the current data is changed. The new server is billed while it exists.";

    /// <summary>The plan's last step.</summary>
    public static string DeleteStep(Tenant tenant) =>
        $"Delete the new server (az postgres flexible-server delete --resource-group {tenant.Names.ResourceGroup} --name <it> --yes), also when a step failed; " +
        "the command names it if it cannot.";

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
