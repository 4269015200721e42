using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>
/// Platform stack outputs as a platform stack of each flavour records them: what tenant stacks read through
/// their StackReference in tests.
/// </summary>
public static class RecordedPlatform
{
    private const string Subscription = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-os2bpc-platform-prod";

    public static PlatformFacts Cluster { get; } = new()
    {
        Flavour = PlatformFlavour.Cluster,
        KubeContext = "fleet-prod",
        Gateway = new GatewayFacts("envoy-gateway", "os2borgerpc", "os2borgerpc-gateway", "https", "http", "envoy-gateway-system",
            ImmutableDictionary<string, string>.Empty
                .Add("gateway.envoyproxy.io/owning-gateway-name", "os2borgerpc")
                .Add("gateway.envoyproxy.io/owning-gateway-namespace", "os2borgerpc-gateway")) { AdmitsListenerSets = true, DeniesUnprotectedRoutes = true },
        Issuers = new CertificateIssuers("letsencrypt-http01", "letsencrypt-staging-http01", null),
        StorageClasses = new StorageClasses("os2borgerpc-data", "os2borgerpc-shared"),
        Dns = new ClusterDns("kube-system", ImmutableDictionary<string, string>.Empty.Add("k8s-app", "kube-dns"), [], [53]),
        Backup = new BackupTarget(BackupTargetKind.S3, "https://s3.backup.example.dk", "os2borgerpc-backups", "eu-north-1", null, null, "backup-s3-credentials"),
        DatabaseOperator = new OperatorPods("cnpg-system", ImmutableDictionary<string, string>.Empty
            .Add("app.kubernetes.io/name", "cloudnative-pg")
            .Add("app.kubernetes.io/instance", "cloudnative-pg")),
        ApiServer = new KubernetesApiServer(ApiServerReach.Addresses, ["10.20.0.10/32", "10.20.0.11/32", "10.20.0.12/32"], 6443),
    };

    /// <summary>A cluster platform whose operator names its Prometheus pods (<c>cluster.prometheus</c>).</summary>
    public static PlatformFacts MonitoredCluster { get; } = Cluster with
    {
        Metrics = new OperatorPods("monitoring", ImmutableDictionary<string, string>.Empty.Add("app.kubernetes.io/name", "prometheus")),
    };

    public static PlatformFacts Azure { get; } = Cluster with
    {
        Flavour = PlatformFlavour.Azure,
        KubeContext = null,
        Issuers = new CertificateIssuers("letsencrypt-http01", "letsencrypt-staging-http01", "letsencrypt-dns01"),
        StorageClasses = new StorageClasses("os2borgerpc-data", "os2borgerpc-files"),
        Dns = new ClusterDns("kube-system", ImmutableDictionary<string, string>.Empty.Add("k8s-app", "kube-dns"), ["169.254.10.10"], [53]),
        ApiServer = new KubernetesApiServer(ApiServerReach.Internet, [], 443),
        Backup = new BackupTarget(BackupTargetKind.AzureBlob, "https://stos2bpcbackupprod.blob.core.windows.net", null, null,
            $"{Subscription}-backup/providers/Microsoft.Storage/storageAccounts/stos2bpcbackupprod", "stos2bpcbackupprod", null),
        PodSourceRanges = ["192.168.0.0/16", "10.240.0.0/20"],
        Azure = new AzureNetwork(
            "westeurope",
            $"{Subscription}/providers/Microsoft.Network/virtualNetworks/vnet-os2bpc-prod/subnets/snet-aks",
            "10.240.0.0/20",
            $"{Subscription}/providers/Microsoft.Network/virtualNetworks/vnet-os2bpc-prod/subnets/snet-postgres",
            $"{Subscription}/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com",
            ["20.50.1.10"],
            $"{Subscription}/providers/Microsoft.Network/dnszones/borgerpc.dk",
            "borgerpc.dk",
            "https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/"),
        // The platform's registry (ImageRegistry): every image through its cache rules; tags accepted (images.requireDigests off).
        Images = new ImageMirror("cros2bpc1a2b3c.azurecr.io", false, ImageMirror.KitRepositories),
        Aks = new AksEndpoint("aks-os2bpc-prod", "https://aks-os2bpc-prod-1a2b3c4d.hcp.westeurope.azmk8s.io:443", "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"),
    };

    /// <summary>An azure platform deployed from a kit that did not yet run restic: its registry has no cache rule for it.</summary>
    public static PlatformFacts StaleRegistry { get; } = Azure with
    {
        Images = Azure.Images! with { CachedRepositories = [.. ImageMirror.KitRepositories.Where(r => r != "docker.io/restic/restic")] },
    };

    /// <summary>An azure platform whose foundation has made only one tenant's resource group (faelles-it's).</summary>
    public static PlatformFacts GroupsNotMade { get; } = Azure with { TenantResourceGroups = ["faelles-it"] };

    /// <summary>An azure platform with images.requireDigests: a tag-only image is refused.</summary>
    public static PlatformFacts DigestsRequired { get; } = Azure with { Images = Azure.Images! with { DigestsRequired = true } };
}
