using Pulumi;
using Pulumi.Kubernetes.ApiExtensions;

namespace OS2BorgerPC.Deploy.PlatformProgram.Kubernetes;

/// <summary>A Gateway API Gateway (gateway.networking.k8s.io/v1): listeners tenants' HTTPRoutes attach to.</summary>
public sealed class Gateway(string name, GatewayArgs args, CustomResourceOptions? options = null)
    : Pulumi.Kubernetes.ApiExtensions.CustomResource(name, args, options);

public sealed class GatewayArgs() : CustomResourceArgs("gateway.networking.k8s.io/v1", "Gateway")
{
    [Input("spec", required: true)]
    public required Input<GatewaySpecArgs> Spec { get; init; }
}

public sealed class GatewaySpecArgs : ResourceArgs
{
    [Input("gatewayClassName", required: true)]
    public required Input<string> GatewayClassName { get; init; }

    [Input("listeners", required: true)]
    public InputList<ListenerArgs> Listeners { get; init; } = [];

    /// <summary>Which namespaces' ListenerSets may add listeners (Gateway API v1.5+); unset admits none.</summary>
    [Input("allowedListeners")]
    public Input<AllowedListenersArgs>? AllowedListeners { get; init; }
}

public sealed class AllowedListenersArgs : ResourceArgs
{
    [Input("namespaces")]
    public Input<RouteNamespacesArgs>? Namespaces { get; init; }
}

public sealed class ListenerArgs : ResourceArgs
{
    [Input("name", required: true)]
    public required Input<string> Name { get; init; }

    /// <summary>Which host names the listener answers for; a wildcard (*.borgerpc.dk) covers every tenant of the fleet.</summary>
    [Input("hostname")]
    public Input<string>? Hostname { get; init; }

    [Input("port", required: true)]
    public required Input<int> Port { get; init; }

    [Input("protocol", required: true)]
    public required Input<string> Protocol { get; init; }

    [Input("tls")]
    public Input<GatewayTlsArgs>? Tls { get; init; }

    [Input("allowedRoutes")]
    public Input<AllowedRoutesArgs>? AllowedRoutes { get; init; }
}

public sealed class GatewayTlsArgs : ResourceArgs
{
    [Input("mode")]
    public Input<string>? Mode { get; init; }

    [Input("certificateRefs")]
    public InputList<CertificateReferenceArgs> CertificateRefs { get; init; } = [];
}

public sealed class CertificateReferenceArgs : ResourceArgs
{
    [Input("kind")]
    public Input<string>? Kind { get; init; }

    [Input("name", required: true)]
    public required Input<string> Name { get; init; }
}

/// <summary>Which namespaces may attach routes: <c>from: Selector</c> with a label only tenant namespaces carry.</summary>
public sealed class AllowedRoutesArgs : ResourceArgs
{
    [Input("namespaces")]
    public Input<RouteNamespacesArgs>? Namespaces { get; init; }
}

/// <summary>Namespaces by <c>from</c> (All, Same, Selector, None) and, for Selector, a label selector: for routes and ListenerSets alike.</summary>
public sealed class RouteNamespacesArgs : ResourceArgs
{
    [Input("from", required: true)]
    public required Input<string> From { get; init; }

    [Input("selector")]
    public Input<Pulumi.Kubernetes.Types.Inputs.Meta.V1.LabelSelectorArgs>? Selector { get; init; }
}
