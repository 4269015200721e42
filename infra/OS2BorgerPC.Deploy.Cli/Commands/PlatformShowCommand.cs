using System.CommandLine;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using Spectre.Console;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>platform show</c>: one platform, resolved, with its names, chart pins and the facts tenants get.</summary>
public static class PlatformShowCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("name") { Description = "The platform stack's name." };
        var facts = new Option<bool>("--facts")
        {
            Description = "Print the tenantPlatform output as JSON (cluster flavour: decided from the file alone; azure: the cloud's IDs come from 'pulumi stack output tenantPlatform').",
        };
        var command = new Command("show", "The resolved platform: defaults applied, names, chart versions, what tenants get.") { name, facts };
        command.SetAction(parse => context(parse).InPlatforms(platforms =>
        {
            var output = context(parse).Output;
            var result = PlatformLoader.Load(platforms.ReadStack(parse.GetRequiredValue(name)));
            if (result.Platform is not { } platform)
            {
                output.Problems(result.Problems);
                return CliContext.Failure;
            }
            if (parse.GetValue(facts))
            {
                if (platform.Flavour == PlatformFlavour.Azure)
                {
                    output.Error($"An azure platform's facts hold the cloud's IDs: run 'pulumi stack output {PlatformFacts.OutputName} --json --stack {platform.Name}'.");
                    return CliContext.Failure;
                }
                output.Line(TenantFacts.For(platform, null).ToJson());
                return CliContext.Success;
            }
            var table = new Table().AddColumns("setting", "value");
            foreach (var (key, value) in Describe(platform))
            {
                table.AddRow(new Text(key), new Text(value));
            }
            output.Render(table);
            return CliContext.Success;
        }));
        return command;
    }

    internal static IEnumerable<(string Key, string Value)> Describe(PlatformSettings p)
    {
        yield return ("flavour", PlatformLoader.Name(p.Flavour));
        yield return ("base domain", p.BaseDomain);
        yield return ("issuer e-mail", p.IssuerEmail);
        yield return ("gateway", $"{p.Gateway.Namespace}/{p.Gateway.Name} (class {SharedGateway.ClassName}, {SharedGateway.Implementation})");
        var issuers = TenantFacts.Issuers(p);
        yield return ("issuers", string.Join(", ", new[] { issuers.Http01, issuers.Http01Staging, issuers.Dns01 }.OfType<string>()));
        foreach (var (key, chart) in p.Charts.ByKey)
        {
            yield return ($"chart {key}", $"{(chart.IsOci ? chart.Chart : $"{chart.Repository} {chart.Chart}")} {chart.Version}");
        }
        var (data, shared) = StorageClassPlan.For(p);
        yield return ("storage classes", $"{data.Name} ({data.Provisioner}), {shared.Name} ({shared.Provisioner}); reclaim {StorageClassDecision.ReclaimPolicy}");
        if (p.Cluster is { } cluster)
        {
            yield return ("context", cluster.Context);
            yield return ("backup target", $"{cluster.Backup.Endpoint} bucket {cluster.Backup.Bucket}");
        }
        if (p.Azure is { } azure)
        {
            var n = azure.Network;
            yield return ("location", azure.Location);
            yield return ("network", $"vnet {n.VirtualNetwork}, nodes {n.ClusterSubnet}, postgres {n.PostgresSubnet}, services {n.ServiceCidr} (dns {n.DnsServiceIp}), pods {n.PodCidr}");
            yield return ("kubernetes", $"{azure.Aks.KubernetesVersion ?? "AKS default at creation"}, auto-upgrade {azure.Aks.AutoUpgradeChannel}, {AksNetwork.Plugin} {AksNetwork.PluginMode} + {AksNetwork.DataPlane}");
            yield return ("node pools", $"system {azure.Aks.SystemPool.VmSize} x{azure.Aks.SystemPool.MinCount}-{azure.Aks.SystemPool.MaxCount}, user {azure.Aks.UserPool.VmSize} x{azure.Aks.UserPool.MinCount}-{azure.Aks.UserPool.MaxCount}");
            yield return ("egress IPs", azure.EgressIpCount.ToString());
            yield return ("CI repository", azure.GitHubRepository);
            var names = p.Names;
            // Made by the foundation stack (the same name), an operator's up: the resource groups, state and backup accounts and CI
            // identities; its outputs stateBackend, secretsProvider and ciClientIds.
            yield return ("foundation stack", FoundationOutputs.StackName(p.Name));
            yield return ("resource groups", $"{names.ResourceGroup}, {names.FoundationResourceGroup}, {names.BackupResourceGroup}");
            yield return ("cluster", names.Cluster);
            yield return ("state backend", $"azblob://{names.StateContainer}?storage_account={names.StateStorageAccount}");
            yield return ("secrets provider", $"azurekeyvault://{names.KeyVault}.vault.azure.net/keys/{names.StateKey}");
            yield return ("backup account", $"{names.BackupStorageAccount} (deleted or overwritten blobs recoverable for {azure.BackupDeleteRetentionDays} days)");
        }
    }
}
