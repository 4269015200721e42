using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Platform;

/// <summary>
/// What a tenant stack takes from its platform stack. The platform program exports one structured output,
/// <see cref="OutputName"/>, serialized from this record (no credential: an AKS cluster is reached through Entra ID, <see cref="Aks"/>);
/// the tenant program reads it through a StackReference and parses it here, so both sides share one contract and
/// a platform that does not export a fact is named as a problem, never guessed.
/// </summary>
public sealed record PlatformFacts
{
    /// <summary>The platform stack output holding these facts (JSON object, camelCase).</summary>
    public const string OutputName = "tenantPlatform";

    /// <summary>azure (the platform made the cluster) or cluster (an existing cluster).</summary>
    public required PlatformFlavour Flavour { get; init; }

    /// <summary>
    /// Whether the platform's foundation makes each tenant's resource group (the azure flavour: FoundationProgram's TenantResourceGroups),
    /// so the identity that runs the tenants' up needs no right on the subscription. A cluster platform makes nothing in
    /// Azure: an azure-hosted tenant on it makes its own group.
    /// </summary>
    [JsonIgnore]
    public bool MakesTenantResourceGroups => Flavour == PlatformFlavour.Azure;

    /// <summary>
    /// The tenants (slugs) whose resource group the platform's foundation has made (azure flavour): an azure-hosted tenant
    /// missing here would fail its up with AuthorizationFailed, so the tenant program refuses it first
    /// (<see cref="PlatformInputs.Resolve"/>). Null: a platform from before the foundation, which made the groups itself; not checked.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImmutableArray<string>? TenantResourceGroups { get; init; }

    /// <summary>kubeconfig context of the cluster (cluster flavour); null where <see cref="Aks"/> names the cluster.</summary>
    public string? KubeContext { get; init; }

    /// <summary>The AKS cluster's endpoint (azure flavour): tenants reach it with <see cref="AksKubeconfig"/>, never a stored credential.</summary>
    public AksEndpoint? Aks { get; init; }

    public required GatewayFacts Gateway { get; init; }

    public required CertificateIssuers Issuers { get; init; }

    public required StorageClasses StorageClasses { get; init; }

    public required ClusterDns Dns { get; init; }

    /// <summary>Where off-site backups go (database base backups and WAL, media copies, logical dumps).</summary>
    public required BackupTarget Backup { get; init; }

    /// <summary>The CloudNativePG operator's pods: they reach every database instance (kubernetes hosting) on its status port and PostgreSQL's.</summary>
    public required OperatorPods DatabaseOperator { get; init; }

    /// <summary>Where pods reach the Kubernetes API server: CloudNativePG's instance manager watches its Cluster there.</summary>
    public required KubernetesApiServer ApiServer { get; init; }

    /// <summary>
    /// The Prometheus (Prometheus Operator) pods that scrape the database instances, where the platform has them: each
    /// tenant's CloudNativePG cluster then gets a PodMonitor and admits exactly these pods on its metrics port.
    /// Null: no PodMonitor (its CRD may not exist) and no scrape path.
    /// </summary>
    public OperatorPods? Metrics { get; init; }

    /// <summary>
    /// Where a pod's request to the Gateway's public address may come from: the pod range, and the node subnet where
    /// the request is translated to its node's address. The smoke check asks for the allow-list's refusal only when all
    /// of these are outside a tenant's clientSourceRanges (<see cref="Traffic.SmokeCheckPlan"/>). Empty: not stated.
    /// </summary>
    public ImmutableArray<string> PodSourceRanges { get; init; } = [];

    /// <summary>Azure network facts (azure flavour only).</summary>
    public AzureNetwork? Azure { get; init; }

    /// <summary>
    /// Where tenants pull their images from (the platform's registry on azure, the cluster's registry prefix), and
    /// whether by digest only. Null: a platform from before this fact; images come from their own registries.
    /// </summary>
    public ImageMirror? Images { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        WriteIndented = false,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// The facts of platform stack <paramref name="platformStack"/> from its recorded <see cref="OutputName"/> output,
    /// or the problems naming what is missing or malformed (never a partial record).
    /// </summary>
    /// <param name="source">Where the output came from, for messages (e.g. the tenant's stack file and its platform key).</param>
    public static (PlatformFacts? Facts, IReadOnlyList<Problem> Problems) Parse(string platformStack, string source, JsonNode? output)
    {
        var key = $"platform stack '{platformStack}' output {OutputName}";
        if (output is not JsonObject)
        {
            return (null, [new Problem(source, key, "is missing: the platform stack exports no tenant platform facts.",
                "Run 'pulumi up' of the platform stack (infra/OS2BorgerPC.Deploy.PlatformProgram) first, or name the right platform stack.")]);
        }
        try
        {
            var facts = output.Deserialize<PlatformFacts>(Json)!;
            var problems = facts.Problems(source, key).ToList();
            return problems.Count == 0 ? (facts, []) : (null, problems);
        }
        catch (JsonException e)
        {
            return (null, [new Problem(source, key, $"cannot be read: {e.Message}",
                "The platform and tenant programs must come from the same commit of the kit: update and 'pulumi up' the platform stack.")]);
        }
    }

    private IEnumerable<Problem> Problems(string source, string key)
    {
        Problem Missing(string fact) => new(source, $"{key}.{fact}", "is empty.", "The platform stack must export it: 'pulumi up' the platform stack from this commit of the kit.");
        if (Gateway.Labels.IsEmpty) yield return Missing("gateway.labels");
        if (Dns.Ports.IsEmpty) yield return Missing("dns.ports");
        if (DatabaseOperator.Labels.IsEmpty) yield return Missing("databaseOperator.labels");
        if (ApiServer.Reach == ApiServerReach.Addresses && ApiServer.Cidrs.IsDefaultOrEmpty) yield return Missing("apiServer.cidrs");
        if (ApiServer.Port is < 1 or > 65535)
        {
            yield return new(source, $"{key}.apiServer.port", $"is {ApiServer.Port}, not a TCP port.", "The platform stack must export the API server's port: 'pulumi up' the platform stack from this commit of the kit.");
        }
        if (Flavour == PlatformFlavour.Azure && Azure is null) yield return Missing("azure");
        if (Flavour == PlatformFlavour.Azure && Aks is null) yield return Missing("aks");
        if (!(Uri.TryCreate(Backup.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme == Uri.UriSchemeHttps))
        {
            // Policies admit the store by its endpoint's address and port: without a URL there is nothing exact to admit.
            yield return new(source, $"{key}.backup.endpoint", $"'{Backup.Endpoint}' is not an https URL.", "The platform stack must export the store's https endpoint: 'pulumi up' the platform stack from this commit of the kit.");
        }
    }
}

public enum PlatformFlavour
{
    Azure,
    Cluster,
}

/// <summary>
/// The fleet's shared Gateway (Gateway API) and the pods behind it: tenants attach HTTPRoutes to it by
/// <see cref="Name"/>/<see cref="Namespace"/> and admit exactly its data-plane pods (<see cref="PodNamespace"/> +
/// <see cref="Labels"/>) in their NetworkPolicies.
/// </summary>
/// <param name="Implementation">The Gateway API implementation (e.g. <c>envoy-gateway</c>); tenants refuse one whose allow-list policy they cannot express.</param>
/// <param name="HttpsListener">The Gateway's HTTPS listener (sectionName) tenant routes attach to.</param>
/// <param name="HttpListener">The Gateway's plain HTTP listener (redirects to HTTPS, and ACME HTTP-01).</param>
public sealed record GatewayFacts(
    string Implementation,
    string Name,
    string Namespace,
    string HttpsListener,
    string HttpListener,
    string PodNamespace,
    ImmutableDictionary<string, string> Labels)
{
    /// <summary>
    /// The Gateway admits ListenerSets from tenant namespaces (spec.allowedListeners): a tenant with a certificate of its
    /// own needs it. Gateway API's default admits none; a platform deployed before this fact existed exports false.
    /// </summary>
    public bool AdmitsListenerSets { get; init; }

    /// <summary>
    /// The Gateway refuses (403) every HTTPS route that no policy of its own protects yet, on its listener and on
    /// tenants' ListenerSets, and leaves its HTTP listener open: tenants create their routes first and then await their
    /// policies without a moment in which a route is open. A platform deployed before this fact existed exports false.
    /// </summary>
    public bool DeniesUnprotectedRoutes { get; init; }
}

/// <summary>cert-manager ClusterIssuers: HTTP-01 through the Gateway (production and staging), DNS-01 for hosts only municipal networks reach.</summary>
public sealed record CertificateIssuers(string Http01, string Http01Staging, string? Dns01);

/// <param name="Data">ReadWriteOnce, reclaimPolicy Retain, expandable: databases and backups.</param>
/// <param name="Shared">ReadWriteMany, reclaimPolicy Retain: /media.</param>
public sealed record StorageClasses(string Data, string Shared);

/// <summary>
/// Where pods resolve names: the cluster DNS pods (namespace + labels) and, where a node-local cache answers
/// on a link-local address (NodeLocal DNSCache 169.254.20.10, AKS LocalDNS), that address; ports as served
/// (53, or 5353 on OpenShift).
/// </summary>
public sealed record ClusterDns(
    string Namespace,
    ImmutableDictionary<string, string> Labels,
    ImmutableArray<string> NodeLocalAddresses,
    ImmutableArray<int> Ports);

/// <summary>
/// The off-site object store. <see cref="Kind"/> <c>azureBlob</c>: a storage account in its own resource group
/// (<see cref="AzureStorageAccountId"/>, reached with workload identity); <c>s3</c>: any S3-compatible endpoint.
/// Each tenant writes below its own prefix/container, named by TenantDecisions.
/// </summary>
/// <param name="Bucket">The S3 bucket; none for azureBlob, where each tenant program makes its own container.</param>
public sealed record BackupTarget(
    BackupTargetKind Kind,
    string Endpoint,
    string? Bucket,
    string? Region,
    string? AzureStorageAccountId,
    string? AzureStorageAccountName,
    string? CredentialsSecretName)
{
    /// <summary>
    /// The addresses a store named by host resolves to, where the platform states them (a store on a private
    /// network): pods are admitted to exactly these. Empty: the host is on the internet.
    /// </summary>
    public ImmutableArray<string> EndpointAddresses { get; init; } = [];
}

/// <summary>Pods of a platform component in its own namespace, selected by the labels its chart puts on them.</summary>
public sealed record OperatorPods(string Namespace, ImmutableDictionary<string, string> Labels);

/// <summary>
/// The Kubernetes API server as a pod's NetworkPolicy sees it: pods dial the <c>kubernetes</c> Service, but the
/// policy is applied to the endpoint the Service translates to, so the endpoint's addresses and port are what a
/// policy must admit. <see cref="ApiServerReach.Internet"/>: a public endpoint whose address the cluster does not
/// fix (AKS's public API server, an FQDN behind Azure's load balancer), admitted as internet on <see cref="Port"/>;
/// <see cref="ApiServerReach.Addresses"/>: exactly <see cref="Cidrs"/> on <see cref="Port"/>.
/// </summary>
public sealed record KubernetesApiServer(ApiServerReach Reach, ImmutableArray<string> Cidrs, int Port);

public enum ApiServerReach
{
    Internet,
    Addresses,
}

public enum BackupTargetKind
{
    AzureBlob,
    S3,
}

/// <summary>Azure network facts of the azure flavour: what azure tenants need for private database access and firewalling.</summary>
public sealed record AzureNetwork(
    string Location,
    string ClusterSubnetId,
    string ClusterSubnetCidr,
    string PostgresSubnetId,
    string PostgresPrivateDnsZoneId,
    ImmutableArray<string> EgressIps,
    string DnsZoneId,
    string DnsZoneName,
    string OidcIssuerUrl);
