using Pulumi;
using Pulumi.Kubernetes.ApiExtensions;

namespace OS2BorgerPC.Deploy.PlatformProgram.Kubernetes;

/// <summary>
/// A Gateway API HTTPRoute (gateway.networking.k8s.io/v1), as much of it as the platform needs: the shared
/// Gateway's HTTP-to-HTTPS redirect.
/// </summary>
public sealed class HttpRoute(string name, HttpRouteArgs args, CustomResourceOptions? options = null)
    : Pulumi.Kubernetes.ApiExtensions.CustomResource(name, args, options);

public sealed class HttpRouteArgs() : CustomResourceArgs("gateway.networking.k8s.io/v1", "HTTPRoute")
{
    [Input("spec", required: true)]
    public required Input<HttpRouteSpecArgs> Spec { get; init; }
}

public sealed class HttpRouteSpecArgs : ResourceArgs
{
    [Input("parentRefs", required: true)]
    public InputList<ParentReferenceArgs> ParentRefs { get; init; } = [];

    [Input("rules", required: true)]
    public InputList<HttpRouteRuleArgs> Rules { get; init; } = [];
}

public sealed class HttpRouteRuleArgs : ResourceArgs
{
    [Input("filters")]
    public InputList<HttpRouteFilterArgs> Filters { get; init; } = [];
}

public sealed class HttpRouteFilterArgs : ResourceArgs
{
    [Input("type", required: true)]
    public required Input<string> Type { get; init; }

    [Input("requestRedirect")]
    public Input<RequestRedirectArgs>? RequestRedirect { get; init; }
}

public sealed class RequestRedirectArgs : ResourceArgs
{
    [Input("scheme")]
    public Input<string>? Scheme { get; init; }

    [Input("statusCode")]
    public Input<int>? StatusCode { get; init; }
}
