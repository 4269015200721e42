using System.Collections.Immutable;
using System.Net;
using OS2BorgerPC.Deploy.PlatformDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Model;

/// <summary>
/// One platform stack, resolved: every default applied, every value valid. Only <see cref="Validation.PlatformLoader"/>
/// makes one, so holding PlatformSettings means holding valid ones.
/// </summary>
public sealed record PlatformSettings
{
    /// <summary>The platform stack's name (stacks/platform/Pulumi.&lt;name&gt;.yaml).</summary>
    public required string Name { get; init; }

    public required PlatformFlavour Flavour { get; init; }

    /// <summary>The fleet's base domain: its public DNS zone (azure) and the shared Gateway's wildcard host.</summary>
    public required string BaseDomain { get; init; }

    /// <summary>Let's Encrypt account e-mail: expiry and policy notices go here.</summary>
    public required string IssuerEmail { get; init; }

    public required SharedGateway Gateway { get; init; }

    public required ChartVersions Charts { get; init; }

    /// <summary>The cluster flavour's settings (null on azure).</summary>
    public required ExistingCluster? Cluster { get; init; }

    /// <summary>The azure flavour's settings (null on cluster).</summary>
    public required AzurePlatform? Azure { get; init; }

    public required PlatformNames Names { get; init; }

    /// <summary>Tenants' images are pulled by digest only and a tag-only image is refused (<c>images.requireDigests</c>, default false).</summary>
    public bool RequireImageDigests { get; init; }
}

/// <summary>The fleet's one shared Gateway and the namespace it lives in.</summary>
public sealed record SharedGateway(string Name, string Namespace)
{
    public const string ClassName = "os2borgerpc";
    public const string ControllerName = "gateway.envoyproxy.io/gatewayclass-controller";
    public const string Implementation = "envoy-gateway";
    public const string ControllerNamespace = "envoy-gateway-system";
    public const string HttpsListener = "https";
    public const string HttpListener = "http";

    /// <summary>The labels Envoy Gateway puts on the data-plane pods of a Gateway (tenants admit exactly these).</summary>
    public ImmutableDictionary<string, string> PodLabels => ImmutableDictionary<string, string>.Empty
        .Add("gateway.envoyproxy.io/owning-gateway-name", Name)
        .Add("gateway.envoyproxy.io/owning-gateway-namespace", Namespace);
}

/// <summary>A StorageClass the platform creates on an existing cluster: the cluster's CSI driver and its parameters.</summary>
public sealed record StorageClassSpec(string Provisioner, ImmutableSortedDictionary<string, string> Parameters);

/// <summary>An existing conformant cluster: reached through a kubeconfig context; its storage drivers are named here.</summary>
/// <param name="Data">ReadWriteOnce class for databases and backups.</param>
/// <param name="Shared">ReadWriteMany class for /media (e.g. an NFS or CephFS CSI driver).</param>
/// <param name="Backup">The S3-compatible off-site backup target.</param>
/// <param name="ApiServer">The API server's endpoint addresses and port, as the operator states them (pods' NetworkPolicies admit exactly these).</param>
public sealed record ExistingCluster(string Context, StorageClassSpec Data, StorageClassSpec Shared, S3BackupTarget Backup, ClusterDns Dns, KubernetesApiServer ApiServer)
{
    /// <summary>The cluster's Prometheus (Prometheus Operator) pods, where the operator states them: tenants' databases get a PodMonitor.</summary>
    public OperatorPods? Prometheus { get; init; }

    /// <summary>
    /// A registry mirror or proxy every image is pulled through (<c>cluster.registryPrefix</c>): &lt;prefix&gt;/&lt;registry&gt;/&lt;repository&gt;
    /// (<see cref="TenantDecisions.Platform.ImageMirror"/>); null pulls from the images' own registries.
    /// </summary>
    public string? RegistryPrefix { get; init; }

    /// <summary>
    /// Where a pod's request to the Gateway's public address comes from on this cluster (<c>cluster.podSourceRanges</c>):
    /// its pod range, and its nodes' where traffic leaving a pod is translated to the node's address. Empty: not stated,
    /// and the smoke check asks for neither the allow-list's refusal nor its admission.
    /// </summary>
    public ImmutableArray<string> PodSourceRanges { get; init; } = [];
}

/// <param name="CredentialsSecretName">The Secret (keys ACCESS_KEY_ID, ACCESS_SECRET_KEY) each tenant program writes from the tenant's own key.</param>
/// <param name="Addresses">What the endpoint's host resolves to, where that is a private network (empty: the internet).</param>
public sealed record S3BackupTarget(string Endpoint, string Bucket, string? Region, string CredentialsSecretName, ImmutableArray<string> Addresses);

/// <summary>The azure flavour: everything from the resource group to the CI identities.</summary>
/// <param name="BackupDeleteRetentionDays">
/// The least number of days a blob deleted or overwritten in the backup account stays recoverable (a previous version
/// until it is that old, then soft-deleted for as long), and the soft-delete days of blobs and containers.
/// </param>
/// <param name="OperatorGroupObjectId">
/// The Entra ID group of the fleet's operators (object ID): the cluster's administrators and the state key's crypto
/// officers, so the assignments do not follow whoever runs <c>up</c>.
/// </param>
public sealed record AzurePlatform(
    string Location,
    NetworkPlan Network,
    AksSettings Aks,
    int EgressIpCount,
    string GitHubRepository,
    int BackupDeleteRetentionDays,
    string OperatorGroupObjectId);

/// <summary>The address plan of the azure flavour. Every range is checked against every other (<see cref="Validation.NetworkRules"/>).</summary>
/// <param name="PodCidr">Azure CNI overlay: pod addresses, outside the VNet, never routed beyond the cluster.</param>
public sealed record NetworkPlan(
    IPNetwork VirtualNetwork,
    IPNetwork ClusterSubnet,
    IPNetwork PostgresSubnet,
    IPNetwork ServiceCidr,
    IPAddress DnsServiceIp,
    IPNetwork PodCidr);

/// <param name="KubernetesVersion">
/// The minor version (1.33) the patch channel keeps current; null with the stable channel, which moves minors itself.
/// </param>
public sealed record AksSettings(
    string? KubernetesVersion,
    string AutoUpgradeChannel,
    NodePool SystemPool,
    NodePool UserPool)
{
    /// <summary>
    /// The address ranges the public API server answers (AKS <c>apiServerAccessProfile.authorizedIpRanges</c>);
    /// empty: every address, with sign-in through Entra ID only.
    /// </summary>
    public ImmutableArray<string> ApiServerAuthorizedRanges { get; init; } = [];

    /// <summary>When the auto-upgrade channel may upgrade the cluster.</summary>
    public MaintenanceWindow AutoUpgradeWindow { get; init; } = Decisions.AksMaintenance.DefaultAutoUpgrade;

    /// <summary>When the node OS channel may replace the nodes' image.</summary>
    public MaintenanceWindow NodeOsWindow { get; init; } = Decisions.AksMaintenance.DefaultNodeOs;
}

/// <summary>A weekly maintenance window: its day, its start (at <see cref="Decisions.AksMaintenance.UtcOffset"/>) and its length.</summary>
public sealed record MaintenanceWindow(DayOfWeek Day, TimeOnly Start, int DurationHours);

public sealed record NodePool(string VmSize, int MinCount, int MaxCount);
