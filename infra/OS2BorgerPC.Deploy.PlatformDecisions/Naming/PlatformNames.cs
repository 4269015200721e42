using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Naming;

/// <summary>
/// Every name of one platform stack, derived once from the fleet id and the platform's name (the globally
/// unique Azure names carry a short hash of both, so two suppliers' fleets never claim the same name).
/// </summary>
public sealed record PlatformNames
{
    public required string ResourceGroup { get; init; }
    public required string BackupResourceGroup { get; init; }

    /// <summary>The foundation's own group: the state account, the Key Vault and the CI identities, out of the platform identity's reach.</summary>
    public required string FoundationResourceGroup { get; init; }
    public required string VirtualNetwork { get; init; }
    public required string ClusterSubnet { get; init; }
    public required string PostgresSubnet { get; init; }
    public required string NatGateway { get; init; }

    /// <summary>The shared Gateway's static public IP (in <see cref="ResourceGroup"/>).</summary>
    public required string GatewayPublicIp { get; init; }
    public required string Cluster { get; init; }
    public required string LogAnalytics { get; init; }
    public required string StateStorageAccount { get; init; }
    public required string StateContainer { get; init; }
    public required string KeyVault { get; init; }
    public required string StateKey { get; init; }
    public required string BackupStorageAccount { get; init; }

    /// <summary>The Azure Container Registry tenants pull the kit's images through (azure).</summary>
    public required string ContainerRegistry { get; init; }
    public required string PreviewIdentity { get; init; }
    public required string DeployIdentity { get; init; }
    public required string PlatformIdentity { get; init; }
    public required string CertManagerIdentity { get; init; }
    public required string LockRole { get; init; }

    /// <summary>The user-assigned identity GitHub environment <paramref name="environment"/> signs in as (<see cref="CiIdentities.All"/>).</summary>
    public string CiIdentity(string environment) => environment switch
    {
        CiIdentities.PreviewEnvironment => PreviewIdentity,
        CiIdentities.ProductionEnvironment => DeployIdentity,
        CiIdentities.PlatformEnvironment => PlatformIdentity,
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "No CI identity serves this GitHub environment."),
    };

    /// <summary>A custom role's definition name: role names are unique per Entra tenant, so the cluster's name keeps two platforms' apart.</summary>
    public string CustomRole(string role) => $"{role} ({Cluster})";

    /// <summary>A custom role's definition GUID, decided before it exists (<see cref="CustomRoleIds"/>).</summary>
    public string CustomRoleGuid(string role) => CustomRoleIds.For(FleetId, Platform, role).ToString();

    /// <summary>The fleet id these names derive from.</summary>
    public required string FleetId { get; init; }

    /// <summary>The platform stack's name.</summary>
    public required string Platform { get; init; }

    /// <summary>The tags every Azure resource of the platform carries.</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    public static PlatformNames For(string fleetId, string platform)
    {
        var hash = TenantNames.ShortHash($"{fleetId}/platform/{platform}");
        var compact = new string(platform.Where(char.IsAsciiLetterOrDigit).ToArray());
        var shortName = compact[..Math.Min(8, compact.Length)];
        return new PlatformNames
        {
            FleetId = fleetId,
            Platform = platform,
            ResourceGroup = $"rg-{fleetId}-platform-{platform}",
            // Its own group: deleting the platform's group never reaches the backups.
            BackupResourceGroup = $"rg-{fleetId}-backup-{platform}",
            // Its own group too: the platform identity is Contributor on the platform's group, never here.
            FoundationResourceGroup = $"rg-{fleetId}-foundation-{platform}",
            VirtualNetwork = $"vnet-{fleetId}-{platform}",
            ClusterSubnet = "snet-aks",
            PostgresSubnet = "snet-postgres",
            NatGateway = $"ng-{fleetId}-{platform}",
            GatewayPublicIp = $"pip-{fleetId}-{platform}-gateway",
            Cluster = $"aks-{fleetId}-{platform}",
            LogAnalytics = $"log-{fleetId}-{platform}",
            // Storage accounts: 3-24 lowercase letters and digits, globally unique (2 + at most 8 + 5 + 6 = 21).
            StateStorageAccount = $"st{shortName}state{hash}",
            StateContainer = "pulumi-state",
            // Key Vault: 3-24 letters, digits and hyphens, globally unique (3 + at most 8 + 1 + 6 = 18).
            KeyVault = $"kv-{shortName}-{hash}",
            StateKey = "pulumi-secrets",
            BackupStorageAccount = $"st{shortName}backup{hash}",
            // Container registry: 5-50 letters and digits, globally unique; its login server is <name>.azurecr.io.
            ContainerRegistry = $"cr{shortName}{hash}",
            PreviewIdentity = $"id-{fleetId}-{platform}-ci-preview",
            DeployIdentity = $"id-{fleetId}-{platform}-ci-deploy",
            PlatformIdentity = $"id-{fleetId}-{platform}-ci-platform",
            CertManagerIdentity = $"id-{fleetId}-{platform}-cert-manager",
            LockRole = $"{fleetId} {platform} lock operator",
            Tags = new Dictionary<string, string>
            {
                [TenantNames.PartOfLabel] = TenantNames.PartOfValue,
                ["os2borgerpc.dk/platform"] = platform,
            },
        };
    }
}
