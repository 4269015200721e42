using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Traffic;

/// <summary>
/// How a tenant's traffic enters: everything the program creates on the Gateway API side, decided once.
/// <list type="bullet">
/// <item>By default (<see cref="CertificateChallenge.Platform"/>) the site's route attaches to the shared Gateway's
/// HTTPS listener, whose certificate (the base domain's wildcard) the platform keeps.</item>
/// <item>With a certificate of its own, a <see cref="ListenerSet"/> in the tenant's namespace adds one HTTPS listener
/// for the tenant's host to the shared Gateway, serving a Secret of the tenant's namespace that a cert-manager
/// <see cref="Certificate"/> keeps, through one of the platform's ClusterIssuers (HTTP-01 answered through the
/// Gateway's HTTP listener, or DNS-01): for hosts outside the platform's wildcard. (ListenerSet is Gateway API
/// Standard since v1.5 and served by Envoy Gateway since v1.8; one Gateway holds at most 64 listeners of its own,
/// and a tenant stack must not edit the platform's Gateway.)</item>
/// <item>Two HTTPRoutes: the site on an HTTPS listener, and an HTTPS redirect on the Gateway's HTTP listener.</item>
/// <item>An Envoy Gateway SecurityPolicy targeting both routes: allow the client networks, deny everything else.</item>
/// <item>An Envoy Gateway BackendTrafficPolicy with the request body limit.</item>
/// </list>
/// The routes come first, then the body limit, then the allow-list, each awaited until accepted (<see cref="TrafficAcceptance"/>):
/// a policy's status appears only once its routes exist, and the platform's Gateway refuses every HTTPS route until its
/// allow-list is in force (<see cref="GatewayFacts.DeniesUnprotectedRoutes"/>), so no route is open at any moment; deleted,
/// the allow-list goes first and the Gateway's refusal is back before the route is gone.
/// </summary>
/// <param name="Listener">The tenant's own HTTPS listener; null where the platform's listener serves the host.</param>
/// <param name="Certificate">The tenant's own certificate; null where the platform's serves the host.</param>
public sealed record TenantTraffic(
    ListenerSet? Listener,
    Certificate? Certificate,
    HttpRoute Site,
    HttpRoute Redirect,
    AllowList AllowList,
    BodyLimit BodyLimit)
{
    /// <summary>The only Gateway API implementation whose allow-list the kit can express (Envoy Gateway's SecurityPolicy).</summary>
    public const string EnvoyGateway = "envoy-gateway";

    /// <summary>The port of the tenant's HTTPS listener: the Gateway's HTTPS port, which the platform exposes.</summary>
    public const int HttpsPort = 443;

    public const string ListenerName = "https";

    /// <summary>The Secret the certificate is written to and the listener serves.</summary>
    public const string TlsSecret = "admin-site-tls";

    /// <summary>
    /// How long a request may run (large script uploads, slow reports): the gateway's route timeout, the media server's
    /// proxy read timeout and gunicorn's worker timeout (<see cref="Model.Gunicorn"/>) alike, so none cuts off what another still waits for.
    /// </summary>
    public const int RequestTimeoutSeconds = 300;

    /// <summary>Every route the program creates: each is a target of <see cref="AllowList"/>.</summary>
    public IReadOnlyList<HttpRoute> Routes => [Site, Redirect];

    /// <summary>The routes named by a policy's targets.</summary>
    public IReadOnlyList<HttpRoute> Targets(ImmutableArray<string> routeNames) => [.. Routes.Where(r => routeNames.Contains(r.Name))];

    /// <summary>
    /// The tenant's traffic on <paramref name="platform"/>, or the problems that keep it from being expressed
    /// (a refusal provisions nothing: the program never creates a route it cannot protect).
    /// </summary>
    /// <param name="stackFile">The tenant's stack file, for problems about its keys.</param>
    public static (TenantTraffic? Traffic, IReadOnlyList<Problem> Problems) Plan(Tenant tenant, PlatformFacts platform, string stackFile)
    {
        var problems = new List<Problem>();
        var gateway = platform.Gateway;
        if (gateway.Implementation != EnvoyGateway)
        {
            problems.Add(new Problem(stackFile, $"platform stack output {PlatformFacts.OutputName}.gateway.implementation",
                $"is '{gateway.Implementation}': the kit can enforce the client allow-list and the body limit only with Envoy Gateway's SecurityPolicy and BackendTrafficPolicy, so this tenant would get a route without its allow-list.",
                $"Run the platform with Envoy Gateway ({EnvoyGateway}), or point the tenant at a platform stack that does; nothing was provisioned."));
        }
        var choice = tenant.Gateway.Certificate;
        var issuer = choice switch
        {
            CertificateChallenge.Http01 => platform.Issuers.Http01,
            CertificateChallenge.Staging => platform.Issuers.Http01Staging,
            CertificateChallenge.Dns01 => platform.Issuers.Dns01,
            _ => null,
        };
        if (choice == CertificateChallenge.Dns01 && issuer is null)
        {
            problems.Add(new Problem(stackFile, $"{ConfigKeys.Qualified(ConfigKeys.TenantKey)}.gateway.certificate",
                "is dns01, but the platform exports no DNS-01 issuer (its cluster flavour has no DNS zone to answer in).",
                "Use http01 (the host must be reachable from the internet on port 80 while a certificate is issued), or add a DNS-01 issuer to the platform."));
        }
        if (issuer is not null && !gateway.AdmitsListenerSets)
        {
            problems.Add(new Problem(stackFile, $"{ConfigKeys.Qualified(ConfigKeys.TenantKey)}.gateway.certificate",
                $"is {tenant.Gateway.Certificate.ToString().ToLowerInvariant()}, but the platform's Gateway admits no ListenerSet (platform stack output {PlatformFacts.OutputName}.gateway.admitsListenerSets is not true), so the tenant's own HTTPS listener could not attach.",
                "Run pulumi up on the platform stack with this kit (its Gateway then admits ListenerSets from tenant namespaces), or leave gateway.certificate out to use the platform's certificate; nothing was provisioned."));
        }
        if (!gateway.DeniesUnprotectedRoutes)
        {
            problems.Add(new Problem(stackFile, $"platform stack output {PlatformFacts.OutputName}.gateway.deniesUnprotectedRoutes",
                "is not true: the platform's Gateway does not refuse a route whose allow-list is not yet in force, and the tenant creates its routes before it awaits their policies, so a route would be open meanwhile.",
                "Run pulumi up on the platform stack with this kit (its Gateway then denies every HTTPS route no policy of its own protects); nothing was provisioned."));
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var ownListener = issuer is null
            ? null
            : new ListenerSet(TrafficObjects.Listener, new ParentGateway(gateway.Name, gateway.Namespace), ListenerName, tenant.Host, HttpsPort, TlsSecret);
        RouteParent https = ownListener is null
            ? new(RouteParentKind.Gateway, gateway.Name, gateway.Namespace, gateway.HttpsListener)
            : new(RouteParentKind.ListenerSet, ownListener.Name, null, ListenerName);
        var site = new HttpRoute(TrafficObjects.Site, [https], tenant.Host,
            new RouteAction.ToService(TrafficObjects.WebService, TrafficObjects.WebServicePort, RequestTimeoutSeconds));
        var redirect = new HttpRoute(TrafficObjects.Redirect, [new RouteParent(RouteParentKind.Gateway, gateway.Name, gateway.Namespace, gateway.HttpListener)], tenant.Host,
            new RouteAction.RedirectToHttps(301));
        var traffic = new TenantTraffic(
            ownListener,
            issuer is null ? null : new Certificate(TrafficObjects.Certificate, TlsSecret, [tenant.Host], issuer, UsesHttp01Solver: choice != CertificateChallenge.Dns01),
            site,
            redirect,
            new AllowList(TrafficObjects.AllowList, [site.Name, redirect.Name], [.. tenant.ClientSourceRanges.Select(r => r.ToString())], tenant.Public),
            new BodyLimit(TrafficObjects.BodyLimit, [site.Name], $"{tenant.Gateway.BodyLimitMiB}Mi"));
        return (traffic, []);
    }
}

/// <summary>The names of the tenant's traffic objects in its namespace.</summary>
public static class TrafficObjects
{
    public const string Listener = "admin-site";
    public const string Certificate = "admin-site";
    public const string Site = "admin-site";
    public const string Redirect = "admin-site-https-redirect";
    public const string AllowList = "admin-site-allow-list";
    public const string BodyLimit = "admin-site-body-limit";

    /// <summary>The admin site's web Service: port 80 reaches the media server (8081), which serves /media/ and proxies the rest to the app.</summary>
    public const string WebService = "admin-site";
    public const int WebServicePort = 80;
}

public sealed record ParentGateway(string Name, string Namespace);

/// <summary>A ListenerSet (gateway.networking.k8s.io/v1) with one HTTPS listener; routes of its own namespace only may attach (the default).</summary>
public sealed record ListenerSet(string Name, ParentGateway Gateway, string ListenerName, string Hostname, int Port, string TlsSecret);

/// <summary>A cert-manager Certificate (cert-manager.io/v1) from a ClusterIssuer of the platform.</summary>
/// <param name="UsesHttp01Solver">cert-manager then runs its solver pod in the tenant's namespace, which the gateway must reach.</param>
public sealed record Certificate(string Name, string SecretName, ImmutableArray<string> DnsNames, string ClusterIssuer, bool UsesHttp01Solver);

public enum RouteParentKind
{
    Gateway,
    ListenerSet,
}

/// <param name="Namespace">null: the tenant's own namespace.</param>
/// <param name="SectionName">The listener the route attaches to.</param>
public sealed record RouteParent(RouteParentKind Kind, string Name, string? Namespace, string SectionName);

/// <summary>An HTTPRoute (gateway.networking.k8s.io/v1) for one host with one rule matching every path.</summary>
public sealed record HttpRoute(string Name, ImmutableArray<RouteParent> Parents, string Hostname, RouteAction Action);

public abstract record RouteAction
{
    private RouteAction() { }

    /// <summary>Forward to a Service port of the tenant's namespace.</summary>
    public sealed record ToService(string Service, int Port, int RequestTimeoutSeconds) : RouteAction;

    /// <summary>Answer with a redirect to the same URL over HTTPS.</summary>
    public sealed record RedirectToHttps(int StatusCode) : RouteAction;
}

/// <summary>
/// Envoy Gateway SecurityPolicy (gateway.envoyproxy.io/v1alpha1): authorization with default action Deny and one
/// Allow rule for the client networks, attached to every route of the tenant.
/// </summary>
/// <param name="Public">The tenant is deliberately open to every address (the CIDRs are then 0.0.0.0/0 and ::/0).</param>
public sealed record AllowList(string Name, ImmutableArray<string> TargetRoutes, ImmutableArray<string> ClientCidrs, bool Public)
{
    public const string DefaultAction = "Deny";
    public const string RuleAction = "Allow";
    public const string RuleName = "client-source-ranges";
}

/// <summary>Envoy Gateway BackendTrafficPolicy: requests are buffered up to <see cref="Limit"/> and larger ones answered 413.</summary>
public sealed record BodyLimit(string Name, ImmutableArray<string> TargetRoutes, string Limit);
