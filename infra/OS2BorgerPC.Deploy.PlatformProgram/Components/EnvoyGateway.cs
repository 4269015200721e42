using OS2BorgerPC.Deploy.PlatformProgram.Kubernetes;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using AcceptanceWait = OS2BorgerPC.Deploy.TenantDecisions.Traffic.AcceptanceWait;
using TrafficAcceptance = OS2BorgerPC.Deploy.TenantDecisions.Traffic.TrafficAcceptance;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>
/// Envoy Gateway (with the Gateway API CRDs its chart installs) and the fleet's one shared Gateway: an HTTPS
/// listener for *.&lt;base domain&gt; and an HTTP listener that only redirects to HTTPS (and serves ACME HTTP-01
/// challenges, whose exact-path routes win over the redirect); tenants' ListenerSets (own certificates) may add
/// listeners from tenant namespaces only. The data plane's Service keeps the client's source
/// address (externalTrafficPolicy Local), so the tenants' allow-lists see the BorgerPC's own address.
/// </summary>
public sealed class EnvoyGateway : ComponentResource
{
    /// <summary>Where the wildcard certificate of the HTTPS listener is kept.</summary>
    public const string WildcardSecret = "fleet-wildcard-tls";

    /// <param name="addressReady">azure: the Gateway's static public IP (<see cref="GatewayPublicIp"/>), usable by the cluster once these exist; elsewhere none.</param>
    public EnvoyGateway(PlatformSettings platform, IReadOnlyList<Resource> addressReady, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:EnvoyGateway", platform.Name, options)
    {
        var gateway = platform.Gateway;
        var (_, chart) = HelmRelease.Install("envoy-gateway", SharedGateway.ControllerNamespace, platform.Charts.EnvoyGateway, [], this);
        var afterChart = new CustomResourceOptions { Parent = this, DependsOn = { chart } };

        // Tenant namespaces carry the part-of label; only they (and the Gateway's own namespace) attach routes.
        var gatewayNamespace = new Namespace("gateway", new NamespaceArgs
        {
            Metadata = new ObjectMetaArgs { Name = gateway.Namespace, Labels = { { TenantNames.PartOfLabel, TenantNames.PartOfValue } } },
        }, new CustomResourceOptions { Parent = this });

        var dataPlane = EnvoyDataPlane.For(platform);
        // azure: the Service takes the platform's static public IP (AKS annotations); elsewhere the cluster's load balancer decides.
        var address = GatewayAddress.For(platform);
        // No address, no annotations field: an empty map reached the control-plane tier as null, which the EnvoyProxy CRD
        // refuses (spec.provider.kubernetes.envoyService.annotations must be an object); leaving the field out is right either way.
        InputMap<string>? serviceAnnotations = null;
        if (address is not null)
        {
            serviceAnnotations = [];
            foreach (var (key, value) in address.ServiceAnnotations)
            {
                serviceAnnotations.Add(key, value);
            }
        }
        var proxy = new EnvoyProxy("proxy", new EnvoyProxyArgs
        {
            Metadata = new ObjectMetaArgs { Name = "os2borgerpc", Namespace = SharedGateway.ControllerNamespace },
            Spec = new EnvoyProxySpecArgs
            {
                Provider = new EnvoyProxyProviderArgs
                {
                    Type = "Kubernetes",
                    Kubernetes = new EnvoyProxyKubernetesArgs
                    {
                        EnvoyService = new EnvoyServiceArgs { Type = "LoadBalancer", ExternalTrafficPolicy = "Local", Annotations = serviceAnnotations },
                        EnvoyDeployment = new EnvoyDeploymentArgs
                        {
                            Replicas = dataPlane.Replicas,
                            Pod = new EnvoyPodArgs
                            {
                                TopologySpreadConstraints =
                                [
                                    .. dataPlane.Spread.Select(spread => new TopologySpreadConstraintArgs
                                    {
                                        TopologyKey = spread.TopologyKey,
                                        MaxSkew = spread.MaxSkew,
                                        WhenUnsatisfiable = spread.WhenUnsatisfiable,
                                        LabelSelector = new LabelSelectorArgs { MatchLabels = dataPlane.PodLabels },
                                    }),
                                ],
                            },
                            Container = new EnvoyContainerArgs
                            {
                                Resources = new ResourceRequirementsArgs { Requests = dataPlane.Requests, Limits = dataPlane.Limits },
                            },
                        },
                        EnvoyPdb = new EnvoyPdbArgs { MinAvailable = dataPlane.MinAvailable },
                    },
                },
            },
        }, new CustomResourceOptions { Parent = this, DependsOn = [chart, .. addressReady] });
        var gatewayClass = new GatewayClass("class", new GatewayClassArgs
        {
            Metadata = new ObjectMetaArgs { Name = SharedGateway.ClassName },
            Spec = new GatewayClassSpecArgs
            {
                ControllerName = SharedGateway.ControllerName,
                ParametersRef = new ParametersReferenceArgs
                {
                    Group = "gateway.envoyproxy.io",
                    Kind = "EnvoyProxy",
                    Name = proxy.Metadata.Apply(m => m.Name),
                    Namespace = SharedGateway.ControllerNamespace,
                },
            },
        }, afterChart);

        var fromTenants = new RouteNamespacesArgs
        {
            From = "Selector",
            Selector = new LabelSelectorArgs { MatchLabels = { { TenantNames.PartOfLabel, TenantNames.PartOfValue } } },
        };
        var tenantNamespaces = new AllowedRoutesArgs { Namespaces = fromTenants };
        var issuers = TenantFacts.Issuers(platform);
        var annotations = new InputMap<string>();
        if (issuers.Dns01 is { } dns01)
        {
            // A wildcard certificate needs DNS-01: cert-manager issues it for the listener (gateway-shim).
            annotations.Add("cert-manager.io/cluster-issuer", dns01);
        }
        var shared = new Gateway("gateway", new GatewayArgs
        {
            Metadata = new ObjectMetaArgs { Name = gateway.Name, Namespace = gatewayNamespace.Metadata.Apply(m => m.Name), Annotations = annotations },
            Spec = new GatewaySpecArgs
            {
                GatewayClassName = gatewayClass.Metadata.Apply(m => m.Name),
                // A tenant with a certificate of its own adds its HTTPS listener by a ListenerSet in its namespace; Gateway
                // API's default (allowedListeners.namespaces.from: None, gateway-api v1.6.1 gateways CRD) admits none.
                AllowedListeners = new AllowedListenersArgs { Namespaces = fromTenants },
                Listeners =
                {
                    new ListenerArgs
                    {
                        Name = SharedGateway.HttpsListener,
                        Hostname = $"*.{platform.BaseDomain}",
                        Port = 443,
                        Protocol = "HTTPS",
                        Tls = new GatewayTlsArgs { Mode = "Terminate", CertificateRefs = { new CertificateReferenceArgs { Kind = "Secret", Name = WildcardSecret } } },
                        AllowedRoutes = tenantNamespaces,
                    },
                    new ListenerArgs { Name = SharedGateway.HttpListener, Port = 80, Protocol = "HTTP", AllowedRoutes = tenantNamespaces },
                },
            },
        }, afterChart);

        new HttpRoute("https-redirect", new HttpRouteArgs
        {
            Metadata = new ObjectMetaArgs { Name = "https-redirect", Namespace = gatewayNamespace.Metadata.Apply(m => m.Name) },
            Spec = new HttpRouteSpecArgs
            {
                ParentRefs = { new ParentReferenceArgs { Name = shared.Metadata.Apply(m => m.Name), SectionName = SharedGateway.HttpListener } },
                Rules =
                {
                    new HttpRouteRuleArgs
                    {
                        Filters = { new HttpRouteFilterArgs { Type = "RequestRedirect", RequestRedirect = new RequestRedirectArgs { Scheme = "https", StatusCode = 301 } } },
                    },
                },
            },
        }, afterChart);

        // Tenants create their routes before their allow-lists and await those (a policy's status needs its route): the
        // Gateway refuses every HTTPS route meanwhile, and leaves its HTTP listener open (GatewayDefaultPolicy). Awaited, so
        // the tenantPlatform output's deniesUnprotectedRoutes exists only once both are accepted (PlatformStack).
        DefaultPolicies = [.. GatewayDefaultPolicy.All.Select(policy => new GatewaySecurityPolicy(policy.Name, new GatewaySecurityPolicyArgs
        {
            Metadata = Awaited(policy.Name, gatewayNamespace, TrafficAcceptance.PolicyOfAncestors(1)),
            Spec = new GatewaySecurityPolicySpecArgs
            {
                TargetRefs =
                {
                    policy.SectionName is { } listener
                        ? new GatewayTargetReferenceArgs { Name = shared.Metadata.Apply(m => m.Name), SectionName = listener }
                        : new GatewayTargetReferenceArgs { Name = shared.Metadata.Apply(m => m.Name) },
                },
                Authorization = new DefaultAuthorizationArgs { DefaultAction = policy.DefaultAction },
            },
        }, afterChart))];

        Chart = chart;
        GatewayName = shared.Metadata.Apply(m => m.Name);
        GatewayNamespace = gatewayNamespace.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["gateway"] = GatewayName, ["namespace"] = GatewayNamespace });
    }

    private static ObjectMetaArgs Awaited(string name, Namespace ns, AcceptanceWait wait)
    {
        var meta = new ObjectMetaArgs { Name = name, Namespace = ns.Metadata.Apply(m => m.Name) };
        foreach (var (key, value) in wait.Annotations)
        {
            meta.Annotations.Add(key, value);
        }
        return meta;
    }

    /// <summary>The chart: it installs the Gateway API CRDs other add-ons (cert-manager) need first.</summary>
    public Resource Chart { get; }

    /// <summary>The Gateway's own SecurityPolicies (<see cref="GatewayDefaultPolicy.All"/>), each created only once Envoy Gateway accepted it.</summary>
    public IReadOnlyList<GatewaySecurityPolicy> DefaultPolicies { get; }

    public Output<string> GatewayName { get; }
    public Output<string> GatewayNamespace { get; }
}
