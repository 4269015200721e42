using System.Collections.Immutable;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>
/// What only Azure knows once the azure flavour's resources exist: the IDs and addresses tenants need, and the tenants
/// (slugs) whose resource group the foundation made.
/// </summary>
public sealed record AzureCloudIds(
    string ClusterSubnetId,
    string PostgresSubnetId,
    string PostgresPrivateDnsZoneId,
    ImmutableArray<string> EgressIps,
    string DnsZoneId,
    string OidcIssuerUrl,
    string BackupStorageAccountId,
    AksEndpoint Cluster,
    string RegistryLoginServer,
    ImmutableArray<string> TenantResourceGroups);

/// <summary>
/// The platform's <see cref="PlatformFacts"/> (its <c>tenantPlatform</c> output): decided here from the settings,
/// with the cloud's IDs filled in on azure, so the program only passes values through.
/// </summary>
public static class TenantFacts
{
    public const string Http01Issuer = "letsencrypt-http01";
    public const string Http01StagingIssuer = "letsencrypt-staging-http01";
    public const string Dns01Issuer = "letsencrypt-dns01";

    /// <summary>AKS runs CoreDNS in kube-system under this label; the kit does not enable LocalDNS, so no node-local address.</summary>
    public static readonly ClusterDns AksDns = new("kube-system", ImmutableDictionary<string, string>.Empty.Add("k8s-app", "kube-dns"), [], [53]);

    /// <summary>
    /// AKS's API server as pods reach it: the kit makes a public cluster (no private cluster, no API server VNet
    /// integration), whose <c>kubernetes</c> Service endpoint is the public API server on 443, an address AKS does not
    /// fix (it is the FQDN's, and moves with the control plane). A NetworkPolicy can only admit it as internet HTTPS.
    /// </summary>
    public static readonly KubernetesApiServer AksApiServer = new(ApiServerReach.Internet, [], 443);

    /// <summary>The issuers the platform creates: DNS-01 only where the platform holds the DNS zone (azure).</summary>
    public static CertificateIssuers Issuers(PlatformSettings platform) =>
        new(Http01Issuer, Http01StagingIssuer, platform.Flavour == PlatformFlavour.Azure ? Dns01Issuer : null);

    public static PlatformFacts For(PlatformSettings platform, AzureCloudIds? cloud)
    {
        if ((platform.Flavour == PlatformFlavour.Azure) != (cloud is not null))
        {
            throw new ArgumentException("Cloud IDs are given exactly for the azure flavour.", nameof(cloud));
        }
        var gateway = platform.Gateway;
        var (data, shared) = StorageClassPlan.For(platform);
        return new PlatformFacts
        {
            Flavour = platform.Flavour,
            KubeContext = platform.Cluster?.Context,
            Aks = cloud?.Cluster,
            Gateway = new GatewayFacts(SharedGateway.Implementation, gateway.Name, gateway.Namespace, SharedGateway.HttpsListener,
                SharedGateway.HttpListener, SharedGateway.ControllerNamespace, gateway.PodLabels)
            {
                // The platform program's Gateway sets spec.allowedListeners to the tenant namespaces (EnvoyGateway).
                AdmitsListenerSets = true,
                // The platform program's Gateway-level SecurityPolicies (GatewayDefaultPolicy); the program exports these facts only once both were accepted.
                DeniesUnprotectedRoutes = true,
            },
            Issuers = Issuers(platform),
            StorageClasses = new StorageClasses(data.Name, shared.Name),
            Dns = platform.Cluster?.Dns ?? AksDns,
            Backup = Backup(platform, cloud),
            DatabaseOperator = Model.DatabaseOperator.Pods,
            ApiServer = platform.Cluster?.ApiServer ?? AksApiServer,
            Metrics = platform.Cluster?.Prometheus,
            // AKS (Azure CNI overlay): pods' own addresses, or their node's where the request is translated on its way out;
            // an existing cluster: what its operator states (cluster.podSourceRanges), or nothing.
            PodSourceRanges = platform.Azure is { } network
                ? [network.Network.PodCidr.ToString(), network.Network.ClusterSubnet.ToString()]
                : platform.Cluster?.PodSourceRanges ?? [],
            Images = Images(platform, cloud),
            TenantResourceGroups = cloud?.TenantResourceGroups,
            Azure = platform.Azure is { } azure && cloud is not null
                ? new AzureNetwork(azure.Location, cloud.ClusterSubnetId, azure.Network.ClusterSubnet.ToString(), cloud.PostgresSubnetId,
                    cloud.PostgresPrivateDnsZoneId, cloud.EgressIps, cloud.DnsZoneId, platform.BaseDomain, cloud.OidcIssuerUrl)
                : null,
        };
    }

    /// <summary>
    /// Where tenants pull images: azure, the platform's registry (its login server) with a cache rule for every repository
    /// the kit runs (<see cref="ImageMirror.KitRepositories"/>); cluster, the configured prefix, or the images' own registries.
    /// </summary>
    public static ImageMirror Images(PlatformSettings platform, AzureCloudIds? cloud) => cloud is not null
        ? new ImageMirror(cloud.RegistryLoginServer, platform.RequireImageDigests, ImageMirror.KitRepositories)
        : new ImageMirror(platform.Cluster?.RegistryPrefix, platform.RequireImageDigests, []);

    /// <summary>The kind of store the platform's backups go to: an existing cluster's S3 store, or the azure flavour's own backup account.</summary>
    public static BackupTargetKind BackupKind(PlatformSettings platform) => platform.Cluster is null ? BackupTargetKind.AzureBlob : BackupTargetKind.S3;

    private static BackupTarget Backup(PlatformSettings platform, AzureCloudIds? cloud)
    {
        if (BackupKind(platform) == BackupTargetKind.S3)
        {
            var s3 = platform.Cluster!.Backup;
            return new BackupTarget(BackupTargetKind.S3, s3.Endpoint, s3.Bucket, s3.Region, null, null, s3.CredentialsSecretName)
            {
                EndpointAddresses = s3.Addresses,
            };
        }
        var account = platform.Names.BackupStorageAccount;
        return new BackupTarget(BackupTargetKind.AzureBlob, $"https://{account}.blob.core.windows.net", null,
            null, cloud!.BackupStorageAccountId, account, null);
    }
}
