using System.CommandLine;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>tenant new</c>: renders a new, valid stack file from templates/tenant-stack.yaml.scriban.</summary>
public static class TenantNewCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var code = new Argument<int?>("municipality-code") { Description = "Official municipality code, e.g. 751 (Aarhus). Leave out for a shared IT body and give --name and --slug.", Arity = ArgumentArity.ZeroOrOne };
        var name = new Option<string?>("--name") { Description = "Display name, e.g. \"IT-forsyningen\"." };
        var slug = new Option<string?>("--slug") { Description = "Stack name and root of every derived name (2-30 lowercase letters, digits, hyphens)." };
        var municipalities = new Option<int[]>("--municipality") { Description = "Further municipality codes this tenant serves (repeatable).", AllowMultipleArgumentsPerToken = true };
        var host = new Option<string?>("--host") { Description = "Public host name; default <slug>.<baseDomain>." };
        var hosting = new Option<string>("--hosting") { Description = "kubernetes (all in the cluster) or azure (managed PostgreSQL and storage).", DefaultValueFactory = _ => "kubernetes" };
        hosting.AcceptOnlyFromAmong("kubernetes", "azure");
        var size = new Option<string>("--size") { Description = "small, medium or large.", DefaultValueFactory = _ => "small" };
        size.AcceptOnlyFromAmong("small", "medium", "large");
        var ring = new Option<string>("--ring") { Description = "Rollout ring: canary, early or broad.", DefaultValueFactory = _ => "broad" };
        ring.AcceptOnlyFromAmong("canary", "early", "broad");
        var version = new Option<string?>("--version") { Description = "Pin an admin-site version (X.Y.Z); default: the fleet's." };
        var adminEmail = new Option<string?>("--admin-email") { Description = "Receives the bootstrap admin account; default: the fleet's adminEmail." };
        var clientRanges = new Option<string[]>("--client-range") { Description = "CIDR of the municipality's BorgerPC networks (repeatable); default: private address space only.", AllowMultipleArgumentsPerToken = true };
        var location = new Option<string?>("--location") { Description = "Azure region (hosting azure); default: the fleet's azureLocation." };
        var egress = new Option<string[]>("--egress") { Description = "The cluster's outbound address or CIDR, allowed through the database firewall (hosting azure, repeatable).", AllowMultipleArgumentsPerToken = true };
        var subnet = new Option<string?>("--subnet-id") { Description = "Delegated subnet for private database access (hosting azure)." };
        var dnsZone = new Option<string?>("--dns-zone-id") { Description = "Private DNS zone for private database access (hosting azure)." };
        var oidcIssuer = new Option<string?>("--oidc-issuer") { Description = "The cluster's OIDC issuer URL, trusted by the database's Entra administrator identity (hosting azure)." };
        var clusterSubnets = new Option<string[]>("--cluster-subnet-id") { Description = "A subnet of the cluster's nodes, the only network the storage account admits (hosting azure, repeatable).", AllowMultipleArgumentsPerToken = true };

        var command = new Command("new", "Write stacks/Pulumi.<slug>.yaml for a new tenant, validated, never overwriting a file.")
        {
            code, name, slug, municipalities, host, hosting, size, ring, version, adminEmail, clientRanges, location, egress, subnet, dnsZone, clusterSubnets, oidcIssuer,
        };
        command.SetAction(parse => context(parse).InWorkspace(workspace =>
        {
            var output = context(parse).Output;
            NewTenant tenant;
            var given = parse.GetValue(code);
            if (given is { } municipalityCode)
            {
                var municipality = MunicipalityRegister.Find(municipalityCode);
                if (municipality is null)
                {
                    output.Error($"{municipalityCode} is not a Danish municipality code. Use the official code, e.g. 751 for Aarhus.");
                    return CliContext.Failure;
                }
                tenant = NewTenant.For(municipality);
            }
            else if (parse.GetValue(name) is { } displayName && parse.GetValue(slug) is { } newSlug)
            {
                tenant = new NewTenant { Slug = newSlug, DisplayName = displayName };
            }
            else
            {
                output.Error("Name the tenant: give a municipality code (tenant new 751), or --name and --slug for a shared IT body.");
                return CliContext.Failure;
            }
            tenant = tenant with
            {
                Slug = parse.GetValue(slug) ?? tenant.Slug,
                DisplayName = parse.GetValue(name) ?? tenant.DisplayName,
                MunicipalityCodes = [.. tenant.MunicipalityCodes, .. parse.GetValue(municipalities) ?? []],
                Host = parse.GetValue(host),
                Hosting = parse.GetRequiredValue(hosting),
                Size = parse.GetRequiredValue(size),
                Ring = parse.GetRequiredValue(ring),
                Version = parse.GetValue(version),
                AdminEmail = parse.GetValue(adminEmail),
                ClientSourceRanges = parse.GetValue(clientRanges) is { Length: > 0 } ranges ? ranges : NewTenant.PrivateNetworks,
                AzureLocation = parse.GetValue(location),
                ClusterEgressRanges = parse.GetValue(egress) ?? [],
                DelegatedSubnetId = parse.GetValue(subnet),
                PrivateDnsZoneId = parse.GetValue(dnsZone),
                ClusterSubnetIds = parse.GetValue(clusterSubnets) ?? [],
                ClusterOidcIssuerUrl = parse.GetValue(oidcIssuer),
            };
            return Write(workspace, tenant, output);
        }));
        return command;
    }

    private static int Write(ProjectWorkspace workspace, NewTenant tenant, CliOutput output)
    {
        var path = workspace.StackFilePath(tenant.Slug);
        var file = workspace.Display(path);
        if (File.Exists(path))
        {
            output.Error($"{file} exists already; nothing was changed. Edit it, or choose another --slug.");
            return CliContext.Failure;
        }
        var yaml = tenant.RenderStackFile();
        var result = TenantLoader.Load(workspace.ReadStackText(tenant.Slug, yaml));
        if (result.Tenant is not { } loaded)
        {
            output.Problems(result.Problems);
            return CliContext.Failure;
        }
        // The new tenant goes last, so every clash it brings is reported against its file.
        var others = FleetLoader.Load(workspace).Members;
        var clashes = FleetCheck.Clashes([.. others, new FleetMember(file, loaded)]).Where(p => p.File == file).ToList();
        if (clashes.Count > 0)
        {
            output.Problems(clashes);
            return CliContext.Failure;
        }
        Directory.CreateDirectory(workspace.StackConfigDir);
        File.WriteAllText(path, yaml);
        output.Line($"Wrote {file} for {loaded.DisplayName}: {loaded.AdminUrl} ({loaded.Hosting.ToString().ToLowerInvariant()}, {loaded.Size.Tier.ToString().ToLowerInvariant()}, ring {loaded.Ring.ToString().ToLowerInvariant()}, admin site {loaded.Release.VersionText}).");
        output.Line();
        output.Line("Next steps:");
        output.Line($"  1. Review {file}: clientSourceRanges must list the municipality's BorgerPC networks" +
            (tenant.ClientSourceRanges.SequenceEqual(NewTenant.PrivateNetworks) ? " (it allows private address space only for now)." : "."));
        output.Line($"  2. dotnet run --project infra/OS2BorgerPC.Deploy.Cli -- tenant check");
        output.Line($"  3. pulumi stack init {loaded.Slug}   (with your backend and secrets provider; see docs/RUNBOOK.md)");
        output.Line($"  4. Optional e-mail relay password: pulumi config set --secret os2borgerpc:emailPassword --stack {loaded.Slug}");
        output.Line($"  5. pulumi preview --stack {loaded.Slug}, then pulumi up --stack {loaded.Slug}");
        output.Line($"  6. Point DNS for {loaded.Host} at the cluster's ingress.");
        return CliContext.Success;
    }
}
