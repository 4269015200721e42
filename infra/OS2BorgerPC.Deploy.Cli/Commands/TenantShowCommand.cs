using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using Spectre.Console;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant show</c>: one tenant, resolved, with every derived name.</summary>
public static class TenantShowCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var slug = new Argument<string>("slug") { Description = "The tenant's slug (its stack name)." };
        var platform = new Option<FileInfo>("--platform")
        {
            Description = "The platform stack's tenantPlatform output as JSON (pulumi stack output tenantPlatform --json --stack <platform>): "
                + "adds the tenant's Gateway route, allow-list policy and NetworkPolicy peers.",
        };
        var command = new Command("show", "The resolved tenant: defaults applied, sizes and all derived names.") { slug, platform };
        command.SetAction(parse => context(parse).ForTenant(parse.GetRequiredValue(slug), tenant =>
        {
            var output = context(parse).Output;
            var lines = Describe(tenant).ToList();
            if (parse.GetValue(platform) is { } file)
            {
                var workspace = ProjectWorkspace.Find(context(parse).WorkingDirectory);
                var (traffic, problems) = Traffic(tenant, workspace.Display(workspace.StackFilePath(tenant.Slug)), file);
                if (traffic is null)
                {
                    output.Problems(problems);
                    return CliContext.Failure;
                }
                lines.AddRange(traffic);
            }
            var table = new Table().AddColumns("setting", "value");
            foreach (var (key, value) in lines)
            {
                table.AddRow(new Text(key), new Text(value));
            }
            output.Render(table);
            return CliContext.Success;
        }));
        return command;
    }

    /// <summary>The tenant's route, policies and NetworkPolicy peers on the platform described in <paramref name="file"/>.</summary>
    private static (IReadOnlyList<(string, string)>? Lines, IReadOnlyList<Problem> Problems) Traffic(Tenant tenant, string stackFile, FileInfo file)
    {
        var (facts, problems) = PlatformOutputFile.Read(file);
        if (facts is null)
        {
            return (null, problems);
        }
        var (traffic, refused) = TenantTraffic.Plan(tenant, facts, stackFile);
        if (traffic is null)
        {
            return (null, refused);
        }
        var rules = TenantNetwork.Plan(tenant, facts, traffic, databaseInNamespace: tenant.Hosting == Hosting.Kubernetes);
        return ([.. TrafficDescription.Lines(traffic, rules)], []);
    }

    /// <summary>The tenant as the program will see it, one line per setting.</summary>
    internal static IEnumerable<(string Key, string Value)> Describe(Tenant t)
    {
        var size = t.Size;
        yield return ("slug", t.Slug);
        yield return ("display name", t.DisplayName);
        yield return ("municipality codes", t.MunicipalityCodes.Length == 0 ? "(none)" : string.Join(", ", t.MunicipalityCodes));
        yield return ("admin URL", t.AdminUrl);
        yield return ("XML-RPC URL", t.XmlRpcUrl);
        yield return ("hosting", t.Hosting.ToString().ToLowerInvariant());
        yield return ("size", size.Tier.ToString().ToLowerInvariant());
        yield return ("admin-site image", t.Release.Image);
        yield return ("core scripts", $"{t.Release.CoreScriptsTag} ({t.Release.CoreScriptsCommit})");
        yield return ("bootstrap admin", $"{t.Admin.Username} <{t.Admin.Email}>");
        yield return ("client source ranges", string.Join(", ", t.ClientSourceRanges) + (t.Public ? " (public: true)" : ""));
        yield return ("backup", $"'{t.Backup.Schedule}', kept {t.Backup.RetentionDays} days");
        yield return ("e-mail relay", t.Email is { } e ? $"{e.Host}:{e.Port} ({string.Join(", ", e.RelayCidrs)}) from {e.From}{(e.Username is null ? "" : $" as {e.Username}")}{(e.HasPassword ? " (password set)" : "")}" : "(none)");
        yield return ("time zone, language", $"{t.TimeZone}, {t.Language}");
        yield return ("gateway", $"certificate {t.Gateway.Certificate.ToString().ToLowerInvariant()}, body limit {t.Gateway.BodyLimitMiB} MiB");
        yield return ("platform", t.Platform.FactsFile is { } facts ? $"{t.Platform.Stack} (recorded in {facts})" : t.Platform.Stack);
        yield return ("cluster", $"context {t.Cluster.Context ?? "(the platform's)"}, storage class {t.Cluster.StorageClass ?? "(the platform's)"}, /media class {t.Cluster.SharedStorageClass ?? "(the platform's)"}{(t.Cluster.RenderToDirectory is { } dir ? $", renders to {dir}" : "")}");
        yield return ("admin site", $"cpu {size.AdminSite.CpuRequest}-{size.AdminSite.CpuLimit}, memory {size.AdminSite.MemoryRequest}-{size.AdminSite.MemoryLimit}, {size.GunicornWorkers} workers");
        yield return ("database", t.Hosting == Hosting.Azure
            ? $"{size.AzureDatabase.SkuName}, {size.AzureDatabase.StorageMb} MB{(size.AzureDatabase.HighAvailability ? ", zone-redundant HA" : "")}"
            : $"cpu {size.Database.CpuRequest}-{size.Database.CpuLimit}, memory {size.Database.MemoryRequest}-{size.Database.MemoryLimit}, {Quantities.Storage(size.DatabaseStorageGiB)}");
        yield return ("storage", $"media {Quantities.Storage(size.MediaStorageGiB)}, backups {Quantities.Storage(size.BackupStorageGiB)}");
        foreach (var quota in new[] { TenantQuota.LongRunning(size, t.Hosting), TenantQuota.Jobs(size) })
        {
            yield return ($"quota {quota.Scope}", $"{quota.Pods} pods, cpu {quota.Compute.CpuRequest}/{quota.Compute.CpuLimit}, memory {quota.Compute.MemoryRequest}/{quota.Compute.MemoryLimit}");
        }
        var (claims, storageGiB) = TenantQuota.Storage(t);
        yield return ("quota storage", $"{Quantities.Storage(storageGiB)} in {claims} claims{(t.RetiredBackupsClaim ? ", the retired backups claim included" : "")}");
        if (t.Azure is { } azure)
        {
            yield return ("azure location", azure.Location);
            yield return ("azure database network", azure.DatabaseNetwork switch
            {
                AzureDatabaseNetwork.Private p => $"private: subnet {p.DelegatedSubnetId}",
                AzureDatabaseNetwork.Firewall f => $"firewall: {string.Join(", ", f.ClusterEgressRanges)}",
                _ => "private: the platform's delegated subnet",
            });
            yield return ("azure backups", $"{azure.DatabaseBackupRetentionDays} days{(azure.GeoRedundantBackup ? ", geo-redundant" : "")}");
        }
        yield return ("smoke check", t.SmokeCheck ? "on" : "off");
        yield return ("namespace", t.Names.Namespace);
        yield return ("resource group", t.Names.ResourceGroup);
        yield return ("PostgreSQL server", t.Names.PostgresServer);
        yield return ("storage account", t.Names.StorageAccount);
        yield return ("shares", $"{t.Names.MediaShare}, {t.Names.BackupShare}");
        yield return ("database, user", $"{t.Names.DatabaseName}, {t.Names.DatabaseUser}");
    }
}
