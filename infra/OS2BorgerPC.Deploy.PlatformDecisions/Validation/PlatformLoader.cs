using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Validation;

/// <summary>Platform settings, or every problem that kept them from being valid.</summary>
public sealed record PlatformLoadResult(PlatformSettings? Platform, IReadOnlyList<Problem> Problems)
{
    public PlatformSettings OrThrow() => Platform ?? throw new InvalidConfigurationException(Problems);
}

/// <summary>
/// Turns one platform stack's config into <see cref="PlatformSettings"/>: reads every key, applies the defaults,
/// checks every rule (address plan, versions, names) and collects all problems, never only the first.
/// </summary>
public sealed class PlatformLoader
{
    public const string DefaultGatewayName = "os2borgerpc";
    public const string DefaultGatewayNamespace = "os2borgerpc-gateway";
    public const int DefaultEgressIps = 1;
    public const int DefaultBackupDeleteRetentionDays = 35;

    /// <summary>The address plan a new platform gets: a /16 VNet, overlay pods and services outside it.</summary>
    public static readonly NetworkPlan DefaultNetwork = new(
        IPNetwork.Parse("10.240.0.0/16"),
        IPNetwork.Parse("10.240.0.0/20"),
        IPNetwork.Parse("10.240.16.0/24"),
        IPNetwork.Parse("10.0.0.0/16"),
        IPAddress.Parse("10.0.0.10"),
        IPNetwork.Parse("192.168.0.0/16"));

    public static readonly NodePool DefaultSystemPool = new("Standard_D4ds_v5", 3, 3);
    public static readonly NodePool DefaultUserPool = new("Standard_D8ds_v5", 3, 12);

    private static readonly ClusterDns DefaultClusterDns = new("kube-system",
        ImmutableDictionary<string, string>.Empty.Add("k8s-app", "kube-dns"), [], [53]);

    private readonly StackConfig _config;
    private readonly DateOnly _today;
    private readonly List<Problem> _problems = [];
    private readonly ConfigNode _project;

    private PlatformLoader(StackConfig config, DateOnly today)
    {
        _config = config;
        _today = today;
        var prefix = PlatformWorkspace.Namespace + ":";
        var ours = new JsonObject(config.Values
            .Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(pair => KeyValuePair.Create(pair.Key[prefix.Length..], pair.Value?.DeepClone())));
        _project = new ConfigNode(ours, PlatformWorkspace.Namespace, ":",
            key => config.Origins.GetValueOrDefault(PlatformWorkspace.Qualified(key), config.StackFile), _problems);
    }

    /// <summary>Loads a platform stack as of today (UTC): a chart pin past its line's end of life is refused (<see cref="ChartSupport"/>).</summary>
    public static PlatformLoadResult Load(StackConfig config) => Load(config, DateOnly.FromDateTime(DateTime.UtcNow));

    public static PlatformLoadResult Load(StackConfig config, DateOnly today) => new PlatformLoader(config, today).Load();

    /// <summary>A platform stack file as <see cref="PlatformWorkspace"/> read it.</summary>
    public static PlatformLoadResult Load((StackConfig? Config, Problem? Problem) read) =>
        read.Config is { } config ? Load(config) : new PlatformLoadResult(null, [read.Problem!]);

    private PlatformLoadResult Load()
    {
        if (!_config.Values.ContainsKey(PlatformWorkspace.Qualified(PlatformWorkspace.PlatformKey)))
        {
            _problems.Add(new Problem(_config.StackFile, PlatformWorkspace.Qualified(PlatformWorkspace.PlatformKey),
                "is missing: this stack file describes no platform.", "Create the stack file with 'platform new', which writes a complete platform section."));
            return new PlatformLoadResult(null, _problems);
        }
        var fleetId = _project.Text(PlatformWorkspace.FleetIdKey) ?? ConfigKeys.Namespace;
        if (!Slug.IsValid(fleetId))
        {
            _project.Report(PlatformWorkspace.FleetIdKey, $"'{fleetId}' is not a valid fleet id.", $"Use {Slug.Rule}; it goes into globally unique Azure names.");
        }
        var p = _project.Child(PlatformWorkspace.PlatformKey);
        var flavour = Flavour(p);
        var baseDomain = p.Text("baseDomain", "Set baseDomain to the fleet's DNS zone, e.g. borgerpc.dk.");
        if (baseDomain is not null && !Rules.IsHostName(baseDomain))
        {
            p.Report("baseDomain", $"'{baseDomain}' is not a DNS zone name.", "Use a lowercase domain without scheme or trailing dot, e.g. borgerpc.dk.");
            baseDomain = null;
        }
        var email = p.Text("issuerEmail", "Set issuerEmail to the operations mailbox Let's Encrypt writes to about expiring certificates.");
        if (email is not null && !Rules.IsEmail(email))
        {
            p.Report("issuerEmail", $"'{email}' is not an e-mail address.", "Use the operations mailbox, e.g. drift@borgerpc.dk.");
            email = null;
        }
        var gateway = Gateway(p.Child("gateway"));
        var charts = Charts(p.Child("charts"));
        // Tenants' images by digest only (ImageMirror): off by default, since the kit's images carry no digest until Renovate pins them.
        var images = p.Child("images");
        var requireDigests = images.Flag("requireDigests") ?? false;
        images.ReportUnknownKeys();
        var cluster = flavour == PlatformFlavour.Cluster ? Cluster(p.Child("cluster")) : null;
        var azure = flavour == PlatformFlavour.Azure ? Azure(p.Child("azure")) : null;
        foreach (var (section, wanted) in new[] { ("cluster", PlatformFlavour.Cluster), ("azure", PlatformFlavour.Azure) })
        {
            if (flavour is not null && flavour != wanted && p.Has(section))
            {
                p.Report(section, $"is set, but flavour is {Name(flavour.Value)}.", $"Remove the {section} section, or set flavour: {section}.");
            }
        }
        p.ReportUnknownKeys();
        _project.MarkKnown([PlatformWorkspace.FleetIdKey, PlatformWorkspace.PlatformKey]);
        _project.ReportUnknownKeys();

        if (_problems.Count > 0 || flavour is null || baseDomain is null || email is null || gateway is null || charts is null
            || (cluster is null && azure is null))
        {
            return new PlatformLoadResult(null, _problems);
        }
        return new PlatformLoadResult(new PlatformSettings
        {
            Name = _config.StackName,
            Flavour = flavour.Value,
            BaseDomain = baseDomain,
            IssuerEmail = email,
            Gateway = gateway,
            Charts = charts,
            Cluster = cluster,
            Azure = azure,
            Names = PlatformNames.For(fleetId, _config.StackName),
            RequireImageDigests = requireDigests,
        }, _problems);
    }

    /// <summary>A flavour as stack files write it.</summary>
    public static string Name(PlatformFlavour flavour) => flavour.ToString().ToLowerInvariant();

    private static PlatformFlavour? Flavour(ConfigNode p)
    {
        var names = string.Join(" or ", Enum.GetValues<PlatformFlavour>().Select(Name));
        var text = p.Text("flavour", $"Set flavour: {names} (azure: the platform makes the cluster; cluster: an existing cluster).");
        if (text is null)
        {
            return null;
        }
        var match = Enum.GetValues<PlatformFlavour>().Where(f => Name(f) == text).ToList();
        if (match.Count == 0)
        {
            p.Report("flavour", $"'{text}' is not a platform flavour.", $"Use {names}.");
            return null;
        }
        return match[0];
    }

    private static SharedGateway? Gateway(ConfigNode gateway)
    {
        var name = KubernetesName(gateway, "name") ?? DefaultGatewayName;
        var ns = KubernetesName(gateway, "namespace") ?? DefaultGatewayNamespace;
        gateway.ReportUnknownKeys();
        return gateway.Has("name") && !Rules.IsKubernetesName(name) ? null : new SharedGateway(name, ns);
    }

    private static string? KubernetesName(ConfigNode node, string key)
    {
        var name = node.Text(key);
        if (name is not null && (!Rules.IsKubernetesName(name) || name.Length > 63 || name.Contains('.')))
        {
            node.Report(key, $"'{name}' is not a Kubernetes name (DNS label).", "Use lowercase letters, digits and hyphens, at most 63 characters, or leave it out for the default.");
            return null;
        }
        return name;
    }

    private ChartVersions? Charts(ConfigNode charts)
    {
        var pinned = ChartVersions.Pinned;
        var versions = new Dictionary<string, string>();
        foreach (var (key, chart) in pinned.ByKey)
        {
            var version = charts.Text(key);
            if (version is null)
            {
                continue;
            }
            if (!PlatformRules.IsChartVersion(version, chart.Version))
            {
                charts.Report(key, $"'{version}' is not an exact version of {chart.Chart}.",
                    $"Pin an exact release as its publisher writes it, e.g. {chart.Version} (the kit's pin), or leave it out.");
                return null;
            }
            versions[key] = version;
        }
        var allowed = AllowedPastEndOfLife(charts, pinned);
        charts.ReportUnknownKeys();
        string Version(string key, HelmChart chart) => versions.GetValueOrDefault(key, chart.Version);
        var resolved = new ChartVersions(
            pinned.EnvoyGateway with { Version = Version("envoyGateway", pinned.EnvoyGateway) },
            pinned.CertManager with { Version = Version("certManager", pinned.CertManager) },
            pinned.CloudNativePg with { Version = Version("cloudNativePg", pinned.CloudNativePg) },
            pinned.BarmanCloudPlugin with { Version = Version("barmanCloudPlugin", pinned.BarmanCloudPlugin) });
        var ended = ChartSupport.Of(resolved, _today).Where(s => s.Status == SupportStatus.PastEndOfLife && !allowed.Contains(s.Key)).ToList();
        foreach (var state in ended)
        {
            var kit = pinned.ByKey.Single(c => c.Key == state.Key).Chart;
            charts.Report(state.Key, state.Describe(_today),
                (versions.ContainsKey(state.Key) ? $"Pin a supported line, e.g. {kit.Version} (the kit's pin), or leave the key out"
                    : $"Pin a supported version of {kit.Chart} here (the kit's pin {kit.Version} is out of support: update ChartVersions.cs)")
                + $"; to run it knowingly, list {state.Key} in {charts.KeyOf(ChartSupport.AllowPastEndOfLifeKey)}.");
        }
        return ended.Count == 0 ? resolved : null;
    }

    /// <summary>platform.charts.allowPastEndOfLife: chart keys an operator runs past their end of life on purpose.</summary>
    private static HashSet<string> AllowedPastEndOfLife(ConfigNode charts, ChartVersions pinned)
    {
        var keys = pinned.ByKey.Select(c => c.Key).ToList();
        var allowed = new HashSet<string>();
        foreach (var item in charts.List(ChartSupport.AllowPastEndOfLifeKey) ?? [])
        {
            var key = item is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : null;
            if (key is null || !keys.Contains(key))
            {
                charts.Report(ChartSupport.AllowPastEndOfLifeKey, $"'{item?.ToJsonString()}' is not a chart key.", $"List chart keys only: {string.Join(", ", keys)}.");
                continue;
            }
            allowed.Add(key);
        }
        return allowed;
    }

    private static ExistingCluster? Cluster(ConfigNode cluster)
    {
        var context = cluster.Text("context", "Set context to the kubeconfig context of the existing cluster (kubectl config get-contexts).");
        var storage = cluster.Child("storage");
        var data = StorageClass(storage.Child("data"), "a ReadWriteOnce CSI driver, e.g. disk.csi.azure.com or rbd.csi.ceph.com");
        var shared = StorageClass(storage.Child("shared"), "a ReadWriteMany CSI driver, e.g. nfs.csi.k8s.io or cephfs.csi.ceph.com");
        storage.ReportUnknownKeys();
        var backup = S3(cluster.Child("backup"));
        var apiServer = ApiServer(cluster);
        var monitored = cluster.Has("prometheus");
        var prometheus = monitored ? Prometheus(cluster.Child("prometheus")) : null;
        var registryPrefix = cluster.Text("registryPrefix");
        if (registryPrefix is not null && !PlatformRules.IsRegistryPrefix(registryPrefix))
        {
            cluster.Report("registryPrefix", $"'{registryPrefix}' is not a registry path.",
                "Write the mirror's host and path without scheme or trailing slash, e.g. harbor.kommune.dk/dockerhub-proxy (images are pulled as <prefix>/<registry>/<repository>).");
        }
        var podSourceRanges = PodSourceRanges(cluster);
        cluster.ReportUnknownKeys();
        return context is null || data is null || shared is null || backup is null || apiServer is null || (monitored && prometheus is null)
            || (registryPrefix is not null && !PlatformRules.IsRegistryPrefix(registryPrefix)) || podSourceRanges is null
            ? null
            : new ExistingCluster(context, data, shared, backup, DefaultClusterDns, apiServer)
            {
                Prometheus = prometheus,
                RegistryPrefix = registryPrefix,
                PodSourceRanges = podSourceRanges.Value,
            };
    }

    /// <summary>cluster.podSourceRanges (optional): CIDR ranges, empty when the key is absent, null when one is invalid.</summary>
    private static ImmutableArray<string>? PodSourceRanges(ConfigNode cluster)
    {
        const string key = "podSourceRanges";
        const string fix = "List the cluster's pod range and, where pods' traffic to a public address leaves with their node's address (SNAT), the nodes' range, "
            + "e.g. podSourceRanges: [10.244.0.0/16, 10.20.0.0/24] ('kubectl get nodes -o jsonpath={.items[*].spec.podCIDR}' and the nodes' InternalIP); or leave it out.";
        var list = cluster.List(key);
        if (list is null)
        {
            // Not a list: List has said so.
            return cluster.Has(key) ? null : [];
        }
        var texts = list.Select(item => item?.ToString() ?? "").ToList();
        var bad = texts.Where(text => !Rules.TryParseCidr(text, out _)).ToList();
        foreach (var text in bad)
        {
            cluster.Report(key, $"'{text}' is not a range in CIDR notation (host bits zero).", fix);
        }
        return bad.Count > 0 ? null : [.. texts];
    }

    /// <summary>
    /// The cluster's Prometheus pods (optional): the namespace and the labels its pods carry, as the tenants' database
    /// NetworkPolicies admit them. Stating them promises the Prometheus Operator's PodMonitor CRD too.
    /// </summary>
    private static OperatorPods? Prometheus(ConfigNode prometheus)
    {
        const string fix = "Name the Prometheus pods that scrape, e.g. prometheus: {namespace: monitoring, podLabels: {app.kubernetes.io/name: prometheus}} "
            + "('kubectl get pods -n <namespace> --show-labels'); leave prometheus out where the cluster has no Prometheus Operator.";
        var ns = prometheus.Text("namespace", fix);
        if (ns is not null && !Rules.IsKubernetesName(ns))
        {
            prometheus.Report("namespace", $"'{ns}' is not a Kubernetes namespace name.", fix);
            ns = null;
        }
        var selector = prometheus.Child("podLabels");
        var labels = selector.Keys().ToDictionary(key => key, key => selector.Text(key));
        if (!prometheus.Has("podLabels") || labels.Count == 0 || labels.Any(l => !Rules.IsLabelKey(l.Key) || l.Value is null || !Rules.IsLabelValue(l.Value)))
        {
            prometheus.Report("podLabels", prometheus.Has("podLabels") ? "must be one or more Kubernetes labels (key: value)." : "is missing.",
                "Select only the Prometheus pods: an empty selector would admit every pod of the namespace. " + fix);
            labels = null;
        }
        prometheus.ReportUnknownKeys();
        return ns is null || labels is null ? null : new OperatorPods(ns, labels.ToImmutableDictionary(l => l.Key, l => l.Value!));
    }

    /// <summary>
    /// The API server as pods reach it: the addresses and port of the <c>kubernetes</c> Service's endpoints, which
    /// NetworkPolicies see after the Service's translation. Only the operator knows them on an existing cluster.
    /// </summary>
    private static KubernetesApiServer? ApiServer(ConfigNode cluster)
    {
        const string fix = "State the API server's endpoint as pods reach it: 'kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes' "
            + "lists its addresses and port, e.g. apiServer: {cidrs: [10.20.0.10/32], port: 6443}. CloudNativePG's instances need it to become ready.";
        if (!cluster.Has("apiServer"))
        {
            cluster.Report("apiServer", "is missing: the database pods' NetworkPolicy cannot admit the API server without its address.", fix);
            return null;
        }
        var node = cluster.Child("apiServer");
        var cidrs = Endpoints(node, "cidrs", "an API server's", fix);
        if (cidrs is { IsEmpty: true })
        {
            node.Report("cidrs", node.Has("cidrs") ? "is empty." : "is missing.", fix);
            cidrs = null;
        }
        var port = node.Integer("port", 1, 65535);
        if (port is null && !node.Has("port"))
        {
            node.Report("port", "is missing.", fix);
        }
        node.ReportUnknownKeys();
        return cidrs is null || port is null ? null : new KubernetesApiServer(ApiServerReach.Addresses, cidrs.Value, port.Value);
    }

    /// <summary>
    /// Address ranges of a few endpoints a policy admits exactly (empty when the key is absent; null when invalid):
    /// each a range with host bits zero, at most a /24 (IPv6 a /120), since a wider one would admit other tenants' pods.
    /// </summary>
    private static ImmutableArray<string>? Endpoints(ConfigNode node, string key, string whose, string fix)
    {
        var list = node.List(key);
        if (list is null)
        {
            return node.Has(key) ? null : [];
        }
        var ranges = new List<string>();
        foreach (var item in list)
        {
            var text = item?.ToString() ?? "";
            if (!Rules.TryParseCidr(text, out var range))
            {
                node.Report(key, $"'{text}' is not an address range (host bits zero).", fix);
            }
            else if (range.PrefixLength < (range.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 24 : 120))
            {
                node.Report(key, $"'{text}' is wider than {whose} endpoints (at most a /24, IPv6 a /120): it could admit other tenants' pods.", fix);
            }
            else
            {
                ranges.Add(text);
            }
        }
        return ranges.Count == list.Count ? [.. ranges] : null;
    }

    private static StorageClassSpec? StorageClass(ConfigNode node, string example)
    {
        var provisioner = node.Text("provisioner", $"Name the CSI driver of the class: {example}.");
        if (provisioner is not null && !PlatformRules.IsProvisioner(provisioner))
        {
            node.Report("provisioner", $"'{provisioner}' is not a CSI driver name.", $"Use the driver's name as 'kubectl get csidrivers' lists it: {example}.");
            provisioner = null;
        }
        var parameters = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var given = node.Child("parameters");
        foreach (var key in given.Keys())
        {
            if (given.Text(key) is { } value)
            {
                parameters[key] = value;
            }
        }
        node.ReportUnknownKeys();
        return provisioner is null ? null : new StorageClassSpec(provisioner, parameters.ToImmutable());
    }

    private static S3BackupTarget? S3(ConfigNode backup)
    {
        const string fix = "Describe the S3-compatible off-site backup target: endpoint (https://…), bucket, region, credentialsSecretName.";
        var endpoint = backup.Text("endpoint", fix);
        if (endpoint is not null && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme == "https" && uri.AbsolutePath == "/"))
        {
            backup.Report("endpoint", $"'{endpoint}' is not an https endpoint.", "Use the object store's https URL without a path, e.g. https://s3.example.dk.");
            endpoint = null;
        }
        var bucket = backup.Text("bucket", fix);
        if (bucket is not null && !Rules.IsKubernetesName(bucket))
        {
            backup.Report("bucket", $"'{bucket}' is not an S3 bucket name.", "Use 3-63 lowercase letters, digits, dots and hyphens.");
            bucket = null;
        }
        var region = backup.Text("region");
        var secret = backup.Text("credentialsSecretName") ?? "backup-s3-credentials";
        // A store whose host name resolves to a private address: pods are admitted to exactly these.
        var addresses = Endpoints(backup, "addresses", "a store's",
            "List the addresses the endpoint's host resolves to on a private network, e.g. addresses: [10.30.0.5/32], or leave it out for a store on the internet.");
        backup.ReportUnknownKeys();
        return endpoint is null || bucket is null || addresses is null ? null : new S3BackupTarget(endpoint, bucket, region, secret, addresses.Value);
    }

    private static AzurePlatform? Azure(ConfigNode azure)
    {
        var location = azure.Text("location", "Set location to the Azure region of the platform, e.g. westeurope.");
        if (location is not null && !Rules.IsAzureLocation(location))
        {
            azure.Report("location", $"'{location}' is not an Azure region name.", "Use a region name such as westeurope or northeurope.");
            location = null;
        }
        var approval = azure.Text(DataResidency.OverrideKey);
        if (location is not null && !DataResidency.Allows(location, approval))
        {
            azure.Report("location", DataResidency.Problem(location), DataResidency.Fix);
            location = null;
        }
        var networkNode = azure.Child("network");
        var network = Network(networkNode);
        var aks = Aks(azure.Child("kubernetes"));
        if (network is not null && aks is not null)
        {
            var capacity = NetworkRules.Capacity(network, aks.SystemPool, aks.UserPool).ToList();
            foreach (var (key, message, fix) in capacity)
            {
                networkNode.Report(key, message, fix);
            }
            network = capacity.Count == 0 ? network : null;
        }
        var egress = azure.Integer("egressIps", 1, 16) ?? DefaultEgressIps;
        var repository = azure.Text("githubRepository", "Set githubRepository to owner/name of the repository whose workflows deploy (federated credentials trust only it).");
        if (repository is not null && !PlatformRules.IsGitHubRepository(repository))
        {
            azure.Report("githubRepository", $"'{repository}' is not a GitHub repository (owner/name).", "Write owner/name, e.g. os2borgerpc/os2borgerpc-deploy.");
            repository = null;
        }
        if (azure.Has("backupImmutabilityDays"))
        {
            // A container WORM policy refused the deletes restic (its locks, prune) and CloudNativePG's retention make:
            // every backup would have failed. Deleted and overwritten blobs are kept as versions instead.
            azure.Report("backupImmutabilityDays", "is no longer a setting: a time-based WORM policy on the backup containers refuses the deletes every backup makes.",
                "Rename it to backupDeleteRetentionDays (days a deleted or overwritten backup blob stays recoverable; docs/DATA-SAFETY.md).");
        }
        var deleteRetention = azure.Integer("backupDeleteRetentionDays", 1, 365) ?? DefaultBackupDeleteRetentionDays;
        var operators = OperatorGroup(azure);
        azure.ReportUnknownKeys();
        return location is null || network is null || aks is null || repository is null || operators is null
            ? null
            : new AzurePlatform(location, network, aks, egress, repository, deleteRetention, operators);
    }

    /// <summary>The operators' Entra ID group: an object ID (a GUID), never a name, which Entra ID does not keep unique.</summary>
    private static string? OperatorGroup(ConfigNode azure)
    {
        const string Fix = "Set it to the object ID of the operators' Entra ID group (az ad group show --group <name> --query id -o tsv).";
        var group = azure.Text(ClusterAccess.OperatorGroupKey, Fix);
        if (group is not null && !(Guid.TryParseExact(group, "D", out var id) && id != Guid.Empty))
        {
            azure.Report(ClusterAccess.OperatorGroupKey, $"'{group}' is not an object ID (a GUID such as 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0).", Fix);
            return null;
        }
        return group?.ToLowerInvariant();
    }

    private static NetworkPlan? Network(ConfigNode network)
    {
        var d = DefaultNetwork;
        var vnet = Range(network, "virtualNetwork", d.VirtualNetwork);
        var cluster = Range(network, "clusterSubnet", d.ClusterSubnet);
        var postgres = Range(network, "postgresSubnet", d.PostgresSubnet);
        var service = Range(network, "serviceCidr", d.ServiceCidr);
        var pod = Range(network, "podCidr", d.PodCidr);
        IPAddress? dns = d.DnsServiceIp;
        if (network.Text("dnsServiceIp") is { } dnsText)
        {
            // IPAddress.TryParse also takes short forms ("10.0.0" is 10.0.0.0): only the canonical dotted quad is an address here.
            dns = IPAddress.TryParse(dnsText, out var parsed) && parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && parsed.ToString() == dnsText ? parsed : null;
            if (dns is null)
            {
                network.Report("dnsServiceIp", $"'{dnsText}' is not an IPv4 address.", "Use an address inside serviceCidr, conventionally .10 of it.");
            }
        }
        network.ReportUnknownKeys();
        if (vnet is null || cluster is null || postgres is null || service is null || pod is null || dns is null)
        {
            return null;
        }
        var plan = new NetworkPlan(vnet.Value, cluster.Value, postgres.Value, service.Value, dns, pod.Value);
        var problems = NetworkRules.Problems(plan).ToList();
        foreach (var (key, message, fix) in problems)
        {
            network.Report(key, message, fix);
        }
        return problems.Count == 0 ? plan : null;
    }

    private static IPNetwork? Range(ConfigNode node, string key, IPNetwork fallback)
    {
        var text = node.Text(key);
        if (text is null)
        {
            return fallback;
        }
        if (!Rules.TryParseCidr(text, out var range) || !NetworkRules.IsIPv4(range))
        {
            node.Report(key, $"'{text}' is not an IPv4 network in CIDR notation.", "Write it as address/prefix with the host bits zero, e.g. 10.240.0.0/16.");
            return null;
        }
        return range;
    }

    private static AksSettings? Aks(ConfigNode aks)
    {
        var channel = aks.Text("autoUpgradeChannel") ?? PlatformRules.AutoUpgradeChannels[0];
        if (!PlatformRules.AutoUpgradeChannels.Contains(channel))
        {
            aks.Report("autoUpgradeChannel", $"'{channel}' is not an accepted auto-upgrade channel.",
                $"Use {string.Join(" or ", PlatformRules.AutoUpgradeChannels)}: patch releases come unattended, minors by a reviewed change.");
        }
        var stable = channel == PlatformRules.StableChannel;
        var given = aks.Text("version");
        var version = given ?? (stable ? null : PlatformRules.DefaultKubernetesVersion);
        var versionValid = version is null || KubernetesVersion(aks, version, channel);
        var system = Pool(aks.Child("systemPool"), DefaultSystemPool, minimum: 2);
        var user = Pool(aks.Child("userPool"), DefaultUserPool, minimum: 2);
        var access = ApiServerAccess(aks);
        var maintenance = aks.Child("maintenance");
        var autoUpgrade = Window(maintenance.Child("autoUpgrade"), AksMaintenance.DefaultAutoUpgrade);
        var nodeOs = Window(maintenance.Child("nodeOs"), AksMaintenance.DefaultNodeOs);
        maintenance.ReportUnknownKeys();
        aks.ReportUnknownKeys();
        return !versionValid || !PlatformRules.AutoUpgradeChannels.Contains(channel) || system is null || user is null || autoUpgrade is null || nodeOs is null || access is null
            ? null
            : new AksSettings(version, channel, system, user) { ApiServerAuthorizedRanges = access.Value, AutoUpgradeWindow = autoUpgrade, NodeOsWindow = nodeOs };
    }

    /// <summary>
    /// A version the channel will not drift away from. AKS rewrites the cluster's kubernetesVersion when an auto-upgrade
    /// moves it (Azure/AKS#3573), and the provider sends the stack file's version again on the next update
    /// (azurerm v4.80.0 kubernetes_cluster_resource.go, kubernetes_version Optional+Computed): an older one is a downgrade,
    /// which AKS refuses. So the stable channel, which moves minors, takes no version, and the patch channel takes a minor.
    /// </summary>
    private static bool KubernetesVersion(ConfigNode aks, string version, string channel)
    {
        if (!PlatformRules.TryParseKubernetesVersion(version, out var minor, out var patch))
        {
            aks.Report("version", $"'{version}' is not a Kubernetes version.", $"Write the minor version in quotes, e.g. \"{PlatformRules.DefaultKubernetesVersion}\" (auto-upgrade keeps its patches current).");
            return false;
        }
        if (!PlatformRules.IsSupportedKubernetes(minor))
        {
            aks.Report("version", $"{version} is outside the versions AKS supports ({PlatformRules.OldestSupportedKubernetes}-{PlatformRules.NewestSupportedKubernetes}).",
                $"Use a supported minor, e.g. \"{PlatformRules.DefaultKubernetesVersion}\"; upgrade one minor at a time (az aks get-versions lists them).");
            return false;
        }
        if (channel == PlatformRules.StableChannel)
        {
            aks.Report("version", $"is pinned to {version}, but autoUpgradeChannel stable moves the cluster to newer minors: the next update would try to take it back to {version}, a downgrade AKS refuses.",
                "Remove version (AKS picks its default at creation and the stable channel keeps the cluster current), or use autoUpgradeChannel: patch with a minor version.");
            return false;
        }
        if (patch)
        {
            aks.Report("version", $"{version} is an exact patch: the patch channel moves the cluster past it, and the next update would try to take it back, a downgrade AKS refuses.",
                $"Write the minor only, \"{minor}\": the patch channel keeps its patches current.");
            return false;
        }
        return true;
    }

    private static MaintenanceWindow? Window(ConfigNode window, MaintenanceWindow fallback)
    {
        var dayText = window.Text("day");
        DayOfWeek? day = fallback.Day;
        if (dayText is not null)
        {
            day = Enum.GetValues<DayOfWeek>().Where(d => d.ToString() == dayText).Select(d => (DayOfWeek?)d).SingleOrDefault();
            if (day is null)
            {
                window.Report("day", $"'{dayText}' is not a day of the week.", "Write the day in English with a capital, e.g. Sunday.");
            }
        }
        var startText = window.Text("start");
        TimeOnly? start = fallback.Start;
        if (startText is not null)
        {
            start = TimeOnly.TryParseExact(startText, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed) ? parsed : null;
            if (start is null)
            {
                window.Report("start", $"'{startText}' is not a time of day as HH:mm.", $"Write it in quotes as HH:mm, e.g. \"01:00\" (at UTC{AksMaintenance.UtcOffset}).");
            }
        }
        // azurerm v4.80.0 takes 4-24 hours; AKS needs at least four for an upgrade pass.
        var hours = window.Integer("hours", AksMaintenance.MinHours, AksMaintenance.MaxHours);
        window.ReportUnknownKeys();
        return day is null || start is null || (hours is null && window.Has("hours"))
            ? null
            : new MaintenanceWindow(day.Value, start.Value, hours ?? fallback.DurationHours);
    }

    /// <summary>Who may reach the API server, and that only Entra ID signs in: local accounts are never an option.</summary>
    private static ImmutableArray<string>? ApiServerAccess(ConfigNode aks)
    {
        var localAccounts = aks.Flag(ClusterAccess.LocalAccountsKey);
        if (localAccounts is true)
        {
            aks.Report(ClusterAccess.LocalAccountsKey, "would leave the cluster's local accounts on: a static admin credential that bypasses Entra ID and Azure RBAC.",
                $"Remove {ClusterAccess.LocalAccountsKey}: operators sign in with 'az aks get-credentials' and 'kubelogin convert-kubeconfig -l azurecli' (docs/SECURITY.md).");
        }
        const string Fix = "List the IPv4 CIDR ranges of the operators' and the runners' egress, e.g. apiServerAuthorizedRanges: [203.0.113.0/24], or leave it out for a public API server with Entra ID sign-in only.";
        var list = aks.List(ClusterAccess.AuthorizedRangesKey);
        var ranges = list?.Select(item => item?.ToString() ?? "").ToList() ?? [];
        var bad = ranges.Where(text => !(Rules.TryParseCidr(text, out var range) && NetworkRules.IsIPv4(range))).ToList();
        foreach (var text in bad)
        {
            aks.Report(ClusterAccess.AuthorizedRangesKey, $"'{text}' is not an IPv4 range in CIDR notation (host bits zero).", Fix);
        }
        if (ranges.Count > ClusterAccess.MaxAuthorizedRanges)
        {
            aks.Report(ClusterAccess.AuthorizedRangesKey, $"lists {ranges.Count} ranges; AKS takes at most {ClusterAccess.MaxAuthorizedRanges}.",
                "Summarise them into fewer ranges, or run the runners with fixed egress addresses.");
        }
        var valid = localAccounts is not true && (list is not null || !aks.Has(ClusterAccess.AuthorizedRangesKey))
            && bad.Count == 0 && ranges.Count <= ClusterAccess.MaxAuthorizedRanges;
        return !valid ? null : ranges.Count == 0 ? ImmutableArray<string>.Empty : [.. ranges];
    }

    /// <param name="minimum">Fewest nodes: one node down for an upgrade must not take the pool's workloads with it.</param>
    private static NodePool? Pool(ConfigNode pool, NodePool fallback, int minimum)
    {
        var size = pool.Text("vmSize") ?? fallback.VmSize;
        if (!PlatformRules.IsVmSize(size))
        {
            pool.Report("vmSize", $"'{size}' is not an Azure VM size.", "Use a size name as Azure writes it, e.g. Standard_D4ds_v5 (az vm list-sizes --location <region>).");
        }
        var min = pool.Integer("minCount", minimum, 100) ?? Math.Max(fallback.MinCount, minimum);
        var max = pool.Integer("maxCount", 1, 1000) ?? Math.Max(fallback.MaxCount, min);
        if (max < min)
        {
            pool.Report("maxCount", $"is {max}, below minCount {min}.", "Set maxCount to minCount or more.");
        }
        pool.ReportUnknownKeys();
        return PlatformRules.IsVmSize(size) && max >= min ? new NodePool(size, min, max) : null;
    }
}
