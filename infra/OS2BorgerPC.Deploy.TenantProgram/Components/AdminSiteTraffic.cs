using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes.CertManager;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes.GatewayApi;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;
using Pulumi;
using HttpRoute = OS2BorgerPC.Deploy.TenantProgram.Kubernetes.GatewayApi.HttpRoute;
using ListenerSet = OS2BorgerPC.Deploy.TenantProgram.Kubernetes.GatewayApi.ListenerSet;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// The tenant's way in through the platform's shared Gateway, as <see cref="TenantTraffic"/> decided it: its own
/// certificate and HTTPS listener (a ListenerSet) where it has them, the routes, and the body-limit and allow-list
/// policies, in that order, every object awaited until its controller reports it accepted (<see cref="TrafficAcceptance"/>).
/// A policy's status needs its routes, so the routes come first; the platform's Gateway refuses them until the
/// allow-list is in force (<see cref="TenantTraffic"/>).
/// </summary>
public sealed class AdminSiteTraffic : ComponentResource
{
    public AdminSiteTraffic(TenantScope scope, TenantTraffic traffic, Resource webService, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:AdminSiteTraffic", scope.Tenant.Slug, options)
    {
        var child = new CustomResourceOptions { Parent = this };
        if (traffic.Certificate is { } certificate)
        {
            new Kubernetes.CertManager.Certificate(certificate.Name, new CertificateArgs
            {
                Metadata = Awaited(scope, certificate.Name, TrafficAcceptance.Certificate),
                Spec = new CertificateSpecArgs
                {
                    SecretName = certificate.SecretName,
                    DnsNames = [.. certificate.DnsNames],
                    IssuerRef = new IssuerReferenceArgs { Name = certificate.ClusterIssuer },
                },
            }, child);
        }
        if (traffic.Listener is { } listener)
        {
            new ListenerSet(listener.Name, new ListenerSetArgs
            {
                Metadata = Awaited(scope, listener.Name, TrafficAcceptance.Listener),
                Spec = new ListenerSetSpecArgs
                {
                    ParentRef = new ParentGatewayReferenceArgs { Name = listener.Gateway.Name, Namespace = listener.Gateway.Namespace },
                    Listeners = new ListenerEntryArgs
                    {
                        Name = listener.ListenerName,
                        Hostname = listener.Hostname,
                        Port = listener.Port,
                        Protocol = "HTTPS",
                        Tls = new ListenerTlsArgs { CertificateRefs = new SecretReferenceArgs { Name = listener.TlsSecret } },
                    },
                },
            }, child);
        }

        var routes = traffic.Routes
            .Select(route => new HttpRoute(route.Name, new HttpRouteArgs { Metadata = Awaited(scope, route.Name, TrafficAcceptance.Route(route)), Spec = Spec(route) },
                new CustomResourceOptions { Parent = this, DependsOn = { webService } }))
            .ToList();
        var afterRoutes = new CustomResourceOptions { Parent = this, DependsOn = [.. routes] };

        var limit = traffic.BodyLimit;
        var bodyLimit = new BackendTrafficPolicy(limit.Name, new BackendTrafficPolicyArgs
        {
            Metadata = Awaited(scope, limit.Name, TrafficAcceptance.Policy(traffic.Targets(limit.TargetRoutes))),
            Spec = new BackendTrafficPolicySpecArgs
            {
                TargetRefs = Targets(limit.TargetRoutes),
                RequestBuffer = new RequestBufferArgs { Limit = limit.Limit },
            },
        }, afterRoutes);

        // Last: the Gateway's refusal stands until the allow-list is accepted, by then with the body limit in force; on
        // deletion it goes first.
        var allow = traffic.AllowList;
        new SecurityPolicy(allow.Name, new SecurityPolicyArgs
        {
            Metadata = Awaited(scope, allow.Name, TrafficAcceptance.Policy(traffic.Targets(allow.TargetRoutes))),
            Spec = new SecurityPolicySpecArgs
            {
                TargetRefs = Targets(allow.TargetRoutes),
                Authorization = new AuthorizationArgs
                {
                    DefaultAction = AllowList.DefaultAction,
                    Rules = new AuthorizationRuleArgs
                    {
                        Name = AllowList.RuleName,
                        Action = AllowList.RuleAction,
                        Principal = new PrincipalArgs { ClientCidrs = [.. allow.ClientCidrs] },
                    },
                },
            },
        }, new CustomResourceOptions { Parent = this, DependsOn = [.. routes, bodyLimit] });
        RegisterOutputs(new Dictionary<string, object?> { ["host"] = traffic.Site.Hostname, ["routes"] = traffic.Routes.Count });
    }

    /// <summary>The object's metadata with the annotations that make Pulumi wait until its controller accepted it.</summary>
    private static Pulumi.Kubernetes.Types.Inputs.Meta.V1.ObjectMetaArgs Awaited(TenantScope scope, string name, AcceptanceWait wait)
    {
        var meta = scope.Meta(name, Workloads.AdminSite);
        foreach (var (key, value) in wait.Annotations)
        {
            meta.Annotations.Add(key, value);
        }
        return meta;
    }

    /// <summary>A parent in another namespace names it; one in the route's own namespace leaves it out.</summary>
    private static ParentReferenceArgs Parent(RouteParent parent)
    {
        var args = new ParentReferenceArgs { Kind = parent.Kind.ToString(), Name = parent.Name, SectionName = parent.SectionName };
        if (parent.Namespace is { } ns)
        {
            args.Namespace = ns;
        }
        return args;
    }

    private static InputList<PolicyTargetReferenceArgs> Targets(IEnumerable<string> routes) =>
        [.. routes.Select(name => new PolicyTargetReferenceArgs { Name = name })];

    private static HttpRouteSpecArgs Spec(TenantDecisions.Traffic.HttpRoute route) => new()
    {
        ParentRefs = [.. route.Parents.Select(Parent)],
        Hostnames = { route.Hostname },
        Rules = route.Action switch
        {
            RouteAction.ToService to => new HttpRouteRuleArgs
            {
                Matches = new HttpRouteMatchArgs { Path = new HttpPathMatchArgs { Type = "PathPrefix", Value = "/" } },
                BackendRefs = new BackendRefArgs { Name = to.Service, Port = to.Port },
                Timeouts = new HttpRouteTimeoutsArgs { Request = $"{to.RequestTimeoutSeconds}s" },
            },
            RouteAction.RedirectToHttps redirect => new HttpRouteRuleArgs
            {
                Filters = new HttpRouteFilterArgs
                {
                    Type = "RequestRedirect",
                    RequestRedirect = new HttpRequestRedirectArgs { Scheme = "https", StatusCode = redirect.StatusCode },
                },
            },
            _ => throw new InvalidOperationException($"No translation for route action {route.Action}."),
        },
    };
}
