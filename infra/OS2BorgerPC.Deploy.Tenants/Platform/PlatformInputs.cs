using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.Tenants.Configuration;
using OS2BorgerPC.Deploy.Tenants.Model;
using OS2BorgerPC.Deploy.Tenants.Validation;

namespace OS2BorgerPC.Deploy.Tenants.Platform;

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
        var problems = Problems(tenant, platform.Flavour, platform.Azure?.Location, stackFile);
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
        var resolved = tenant.Azure is { DatabaseNetwork: null } settings
            ? tenant with { Azure = settings with { DatabaseNetwork = new AzureDatabaseNetwork.Private(azure!.PostgresSubnetId, azure.PostgresPrivateDnsZoneId) } }
            : tenant;
        return (new ResolvedTenant(resolved, effective), []);
    }

    /// <summary>
    /// Whether a tenant fits a platform of <paramref name="flavour"/> in <paramref name="platformLocation"/>: what the CLI
    /// checks from the platform's stack file and the program checks from its outputs.
    /// </summary>
    public static IReadOnlyList<Problem> Problems(Tenant tenant, PlatformFlavour flavour, string? platformLocation, string stackFile)
    {
        if (tenant.Azure is not { DatabaseNetwork: null } azure)
        {
            return [];
        }
        if (flavour != PlatformFlavour.Azure)
        {
            return [new Problem(stackFile, $"{TenantKey}.azure",
                $"names no database network, and platform stack '{tenant.Platform.Stack}' is of flavour {Flavour(flavour)}: it has no delegated PostgreSQL subnet to lend.",
                "Point platform.stack at an azure platform, or set delegatedSubnetId + privateDnsZoneId (private access) or clusterEgressRanges (public access) in the tenant's azure section.")];
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
