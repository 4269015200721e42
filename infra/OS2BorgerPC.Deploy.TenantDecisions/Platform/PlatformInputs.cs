using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Platform;

/// <summary>A tenant resolved against its platform: what the tenant program provisions from.</summary>
/// <param name="Tenant">The tenant, its database network filled in from the platform where its file names none.</param>
/// <param name="Platform">The platform's facts as this tenant sees them: the tenant file's overrides applied.</param>
public sealed record ResolvedTenant(Tenant Tenant, PlatformFacts Platform);

/// <summary>
/// How a tenant's file and its platform's facts combine. The tenant file wins where it says something
/// (cluster.context, cluster.storageClass, cluster.sharedStorageClass, azure.delegatedSubnetId +
/// privateDnsZoneId, azure.clusterEgressRanges); everything else comes from the platform.
/// </summary>
public static class PlatformInputs
{
    private static readonly string TenantKey = ConfigKeys.Qualified(ConfigKeys.TenantKey);

    /// <summary>The tenant on its platform, or every problem that keeps the two from fitting together.</summary>
    /// <param name="stackFile">The tenant's stack file, for messages.</param>
    public static (ResolvedTenant? Resolved, IReadOnlyList<Problem> Problems) Resolve(Tenant tenant, PlatformFacts platform, string stackFile)
    {
        var problems = Problems(tenant, platform.Flavour, platform.Azure?.Location, platform.Backup.Kind, stackFile);
        if (problems.Count == 0 && GroupProblem(tenant, platform, stackFile) is { } missingGroup)
        {
            problems = [missingGroup];
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        var cluster = tenant.Cluster;
        var azure = platform.Azure;
        if (azure is not null && tenant.Azure?.DatabaseNetwork is AzureDatabaseNetwork.Private own)
        {
            azure = azure with { PostgresSubnetId = own.DelegatedSubnetId, PostgresPrivateDnsZoneId = own.PrivateDnsZoneId };
        }
        var effective = platform with
        {
            KubeContext = cluster.Context ?? platform.KubeContext,
            StorageClasses = new StorageClasses(cluster.StorageClass ?? platform.StorageClasses.Data, cluster.SharedStorageClass ?? platform.StorageClasses.Shared),
            Azure = azure,
        };
        var resolved = tenant;
        if (tenant.Azure is { } settings && azure is not null)
        {
            var borrowed = settings with
            {
                DatabaseNetwork = settings.DatabaseNetwork ?? new AzureDatabaseNetwork.Private(azure.PostgresSubnetId, azure.PostgresPrivateDnsZoneId),
                ClusterSubnetIds = settings.ClusterSubnetIds.IsDefaultOrEmpty ? [azure.ClusterSubnetId] : settings.ClusterSubnetIds,
                ClusterOidcIssuerUrl = settings.ClusterOidcIssuerUrl ?? azure.OidcIssuerUrl,
            };
            resolved = borrowed == settings ? tenant : tenant with { Azure = borrowed };
        }
        return (new ResolvedTenant(resolved, effective), []);
    }

    /// <summary>
    /// An azure-hosted tenant on a platform whose foundation makes the tenants' groups deploys into its own group only (the
    /// deploying identity has no right to make one): a group the foundation has not made yet is refused here, naming the fix,
    /// instead of an AuthorizationFailed halfway through the up.
    /// </summary>
    private static Problem? GroupProblem(Tenant tenant, PlatformFacts platform, string stackFile) =>
        tenant.Hosting == Hosting.Azure && platform.MakesTenantResourceGroups && platform.TenantResourceGroups is { } made && !made.Contains(tenant.Slug)
            ? new Problem(stackFile, $"{TenantKey}.platform.stack",
                $"names platform stack '{tenant.Platform.Stack}', whose foundation has not made this tenant's resource group {tenant.Names.ResourceGroup} yet: "
                + "the deploying identity may only deploy into it.",
                $"An operator runs 'pulumi up --stack {tenant.Platform.StackName}' in infra/OS2BorgerPC.Deploy.FoundationProgram with this stack file present, "
                + "then the platform's up (its facts list the group), then this tenant's.")
            : null;

    /// <summary>
    /// Whether a tenant fits a platform of <paramref name="flavour"/> in <paramref name="platformLocation"/> whose backups
    /// go to a <paramref name="backup"/> store: what the CLI checks from the platform's stack file and the program checks
    /// from its outputs.
    /// </summary>
    public static IReadOnlyList<Problem> Problems(Tenant tenant, PlatformFlavour flavour, string? platformLocation, BackupTargetKind backup, string stackFile) =>
        [.. BackupKeyProblems(tenant, backup, stackFile), .. AzureProblems(tenant, flavour, platformLocation, stackFile)];

    /// <summary>
    /// An S3 store is reached with the tenant's own key, scoped to its prefix: one platform-wide key copied into every
    /// namespace would let any tenant read every other tenant's backups. An Azure Blob store is reached with the
    /// tenant's workload identity, and a key would be a secret nothing uses; so would a drill source's role on S3.
    /// </summary>
    private static IEnumerable<Problem> BackupKeyProblems(Tenant tenant, BackupTargetKind backup, string stackFile)
    {
        var id = ConfigKeys.Qualified(ConfigKeys.BackupS3AccessKeyId);
        var secret = ConfigKeys.Qualified(ConfigKeys.BackupS3SecretAccessKey);
        if (backup == BackupTargetKind.S3 && !tenant.Backup.HasS3Keys)
        {
            yield return new Problem(stackFile, id,
                $"is missing: platform stack '{tenant.Platform.Stack}' keeps backups in an S3 store, which each tenant reaches with its own key.",
                $"Ask the store's operator for a key limited to the prefix tenants/{tenant.Slug}/ of the platform's bucket (read, write, list, delete there only), then run: "
                + $"pulumi config set --secret {id} --stack {tenant.Slug}; pulumi config set --secret {secret} --stack {tenant.Slug}");
        }
        if (backup == BackupTargetKind.S3 && tenant.Backup.DrillFrom is { } from)
        {
            yield return new Problem(stackFile, ConfigKeys.BackupDrillFrom,
                $"is set, but platform stack '{tenant.Platform.Stack}' keeps backups in an S3 store: a drill from {from} borrows {from}'s own key for the restore, and no role is granted.",
                $"Remove {ConfigKeys.BackupDrillFrom}.");
        }
        if (backup == BackupTargetKind.AzureBlob && tenant.Backup.HasS3Keys)
        {
            yield return new Problem(stackFile, id,
                $"is set, but platform stack '{tenant.Platform.Stack}' keeps backups in Azure Blob, reached with the tenant's workload identity: no key is used.",
                $"Remove both: pulumi config rm {id} --stack {tenant.Slug}; pulumi config rm {secret} --stack {tenant.Slug}");
        }
    }

    private static IReadOnlyList<Problem> AzureProblems(Tenant tenant, PlatformFlavour flavour, string? platformLocation, string stackFile)
    {
        if (tenant.Azure is not { } azure)
        {
            return [];
        }
        // What an azure tenant leaves to its platform: the database network, the subnets its storage admits, the cluster's token issuer.
        var borrowed = new List<string>();
        if (azure.DatabaseNetwork is null) borrowed.Add("a database network (delegatedSubnetId + privateDnsZoneId, or clusterEgressRanges)");
        if (azure.ClusterSubnetIds.IsDefaultOrEmpty) borrowed.Add("clusterSubnetIds");
        if (azure.ClusterOidcIssuerUrl is null) borrowed.Add("clusterOidcIssuerUrl");
        if (borrowed.Count == 0)
        {
            return [];
        }
        if (flavour != PlatformFlavour.Azure)
        {
            return [new Problem(stackFile, $"{TenantKey}.azure",
                $"names no {string.Join(", no ", borrowed)}, and platform stack '{tenant.Platform.Stack}' is of flavour {Flavour(flavour)}: it has no Azure network to lend.",
                "Point platform.stack at an azure platform, or set them in the tenant's azure section: delegatedSubnetId + privateDnsZoneId or clusterEgressRanges, clusterSubnetIds, clusterOidcIssuerUrl.")];
        }
        if (azure.DatabaseNetwork is not null)
        {
            return [];
        }
        if (platformLocation is not null && platformLocation != azure.Location)
        {
            return [new Problem(stackFile, $"{TenantKey}.azure.location",
                $"is {azure.Location}, but the platform's delegated subnet is in {platformLocation}: a flexible server must be in its virtual network's region.",
                $"Set location: {platformLocation} (or leave it to the fleet default), or give the tenant its own network in its region.")];
        }
        return [];
    }

    /// <summary>A recorded platform output (<see cref="PlatformReference.FactsFile"/>), read and checked like a live one.</summary>
    /// <param name="root">The repository root the file name is relative to.</param>
    public static (PlatformFacts? Facts, IReadOnlyList<Problem> Problems) ReadFactsFile(string root, PlatformReference reference, string stackFile)
    {
        var key = $"{TenantKey}.platform.factsFile";
        var path = Path.Combine(root, reference.FactsFile ?? throw new ArgumentException("The tenant names no facts file.", nameof(reference)));
        if (!File.Exists(path))
        {
            return (null, [new Problem(stackFile, key, $"'{reference.FactsFile}' does not exist.",
                $"Record the platform's output there (pulumi stack output {PlatformFacts.OutputName} --json --stack {reference.Stack} > {reference.FactsFile}), or remove factsFile to read the platform stack itself.")]);
        }
        try
        {
            return PlatformFacts.Parse(reference.StackName, $"{stackFile} ({reference.FactsFile})", JsonNode.Parse(File.ReadAllText(path)));
        }
        catch (JsonException e)
        {
            return (null, [new Problem(stackFile, key, $"'{reference.FactsFile}' is not JSON: {e.Message}",
                $"Record the platform's output again: pulumi stack output {PlatformFacts.OutputName} --json --stack {reference.Stack} > {reference.FactsFile}")]);
        }
    }

    private static string Flavour(PlatformFlavour flavour) => JsonNamingPolicy.CamelCase.ConvertName(flavour.ToString());
}
