using Pulumi;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using CustomResourceArgs = Pulumi.Kubernetes.ApiExtensions.CustomResourceArgs;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes.GatewayApi;

/// <summary>
/// Typed Gateway API resources (gateway.networking.k8s.io/v1, Gateway API v1.5+ standard channel): the fields the
/// kit sets, named as the CRDs name them.
/// </summary>
public static class GatewayApiGroup
{
    public const string Group = "gateway.networking.k8s.io";
    public const string ApiVersion = Group + "/v1";
}

/// <summary>An HTTPRoute: hosts and rules, attached to Gateway listeners or ListenerSet listeners.</summary>
public sealed class HttpRoute(string name, HttpRouteArgs args, CustomResourceOptions? options = null)
    : CustomResource(name, args, options);

public sealed class HttpRouteArgs() : CustomResourceArgs(GatewayApiGroup.ApiVersion, "HTTPRoute")
{
    [Input("spec", required: true)]
    public Input<HttpRouteSpecArgs> Spec { get; set; } = null!;
}

public sealed class HttpRouteSpecArgs : ResourceArgs
{
    [Input("parentRefs", required: true)]
    public InputList<ParentReferenceArgs> ParentRefs { get; set; } = [];

    [Input("hostnames", required: true)]
    public InputList<string> Hostnames { get; set; } = [];

    [Input("rules", required: true)]
    public InputList<HttpRouteRuleArgs> Rules { get; set; } = [];
}

/// <summary>Where a route attaches: a Gateway or a ListenerSet, and one of its listeners (<c>sectionName</c>).</summary>
public sealed class ParentReferenceArgs : ResourceArgs
{
    [Input("group")]
    public Input<string> Group { get; set; } = GatewayApiGroup.Group;

    [Input("kind", required: true)]
    public Input<string> Kind { get; set; } = null!;

    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;

    /// <summary>Absent: the route's own namespace.</summary>
    [Input("namespace")]
    public Input<string>? Namespace { get; set; }

    [Input("sectionName", required: true)]
    public Input<string> SectionName { get; set; } = null!;
}

public sealed class HttpRouteRuleArgs : ResourceArgs
{
    [Input("matches")]
    public InputList<HttpRouteMatchArgs>? Matches { get; set; }

    [Input("filters")]
    public InputList<HttpRouteFilterArgs>? Filters { get; set; }

    [Input("backendRefs")]
    public InputList<BackendRefArgs>? BackendRefs { get; set; }

    [Input("timeouts")]
    public Input<HttpRouteTimeoutsArgs>? Timeouts { get; set; }
}

public sealed class HttpRouteMatchArgs : ResourceArgs
{
    [Input("path", required: true)]
    public Input<HttpPathMatchArgs> Path { get; set; } = null!;
}

/// <param name="Type">PathPrefix, Exact or RegularExpression.</param>
public sealed class HttpPathMatchArgs : ResourceArgs
{
    [Input("type", required: true)]
    public Input<string> Type { get; set; } = null!;

    [Input("value", required: true)]
    public Input<string> Value { get; set; } = null!;
}

/// <summary>A Service port in the route's namespace.</summary>
public sealed class BackendRefArgs : ResourceArgs
{
    [Input("kind")]
    public Input<string> Kind { get; set; } = "Service";

    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;

    [Input("port", required: true)]
    public Input<int> Port { get; set; } = null!;
}

public sealed class HttpRouteFilterArgs : ResourceArgs
{
    /// <summary>RequestRedirect (with <see cref="RequestRedirect"/>).</summary>
    [Input("type", required: true)]
    public Input<string> Type { get; set; } = null!;

    [Input("requestRedirect")]
    public Input<HttpRequestRedirectArgs>? RequestRedirect { get; set; }
}

public sealed class HttpRequestRedirectArgs : ResourceArgs
{
    [Input("scheme", required: true)]
    public Input<string> Scheme { get; set; } = null!;

    [Input("statusCode", required: true)]
    public Input<int> StatusCode { get; set; } = null!;
}

/// <summary>Gateway API duration strings, e.g. "300s".</summary>
public sealed class HttpRouteTimeoutsArgs : ResourceArgs
{
    [Input("request", required: true)]
    public Input<string> Request { get; set; } = null!;
}

/// <summary>A ListenerSet: listeners a namespace adds to a shared Gateway that allows it (Gateway API v1.5+ standard).</summary>
public sealed class ListenerSet(string name, ListenerSetArgs args, CustomResourceOptions? options = null)
    : CustomResource(name, args, options);

public sealed class ListenerSetArgs() : CustomResourceArgs(GatewayApiGroup.ApiVersion, "ListenerSet")
{
    [Input("spec", required: true)]
    public Input<ListenerSetSpecArgs> Spec { get; set; } = null!;
}

public sealed class ListenerSetSpecArgs : ResourceArgs
{
    [Input("parentRef", required: true)]
    public Input<ParentGatewayReferenceArgs> ParentRef { get; set; } = null!;

    [Input("listeners", required: true)]
    public InputList<ListenerEntryArgs> Listeners { get; set; } = [];
}

public sealed class ParentGatewayReferenceArgs : ResourceArgs
{
    [Input("group")]
    public Input<string> Group { get; set; } = GatewayApiGroup.Group;

    [Input("kind")]
    public Input<string> Kind { get; set; } = "Gateway";

    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;

    [Input("namespace", required: true)]
    public Input<string> Namespace { get; set; } = null!;
}

/// <summary>One listener; without allowedRoutes only routes of the ListenerSet's namespace attach (the CRD's default).</summary>
public sealed class ListenerEntryArgs : ResourceArgs
{
    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;

    [Input("hostname", required: true)]
    public Input<string> Hostname { get; set; } = null!;

    [Input("port", required: true)]
    public Input<int> Port { get; set; } = null!;

    [Input("protocol", required: true)]
    public Input<string> Protocol { get; set; } = null!;

    [Input("tls", required: true)]
    public Input<ListenerTlsArgs> Tls { get; set; } = null!;
}

public sealed class ListenerTlsArgs : ResourceArgs
{
    [Input("mode")]
    public Input<string> Mode { get; set; } = "Terminate";

    [Input("certificateRefs", required: true)]
    public InputList<SecretReferenceArgs> CertificateRefs { get; set; } = [];
}

/// <summary>A Secret in the referring object's namespace (no ReferenceGrant needed).</summary>
public sealed class SecretReferenceArgs : ResourceArgs
{
    [Input("kind")]
    public Input<string> Kind { get; set; } = "Secret";

    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;
}
