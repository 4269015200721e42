using Pulumi;
using Pulumi.Kubernetes.ApiExtensions;

namespace OS2BorgerPC.Deploy.PlatformProgram.Kubernetes;

/// <summary>A Gateway API GatewayClass (gateway.networking.k8s.io/v1): which controller serves Gateways of this class.</summary>
public sealed class GatewayClass(string name, GatewayClassArgs args, CustomResourceOptions? options = null)
    : Pulumi.Kubernetes.ApiExtensions.CustomResource(name, args, options);

public sealed class GatewayClassArgs() : CustomResourceArgs("gateway.networking.k8s.io/v1", "GatewayClass")
{
    [Input("spec", required: true)]
    public required Input<GatewayClassSpecArgs> Spec { get; init; }
}

public sealed class GatewayClassSpecArgs : ResourceArgs
{
    [Input("controllerName", required: true)]
    public required Input<string> ControllerName { get; init; }

    /// <summary>The implementation's own configuration for Gateways of this class (Envoy Gateway: an EnvoyProxy).</summary>
    [Input("parametersRef")]
    public Input<ParametersReferenceArgs>? ParametersRef { get; init; }
}

public sealed class ParametersReferenceArgs : ResourceArgs
{
    [Input("group", required: true)]
    public required Input<string> Group { get; init; }

    [Input("kind", required: true)]
    public required Input<string> Kind { get; init; }

    [Input("name", required: true)]
    public required Input<string> Name { get; init; }

    [Input("namespace")]
    public Input<string>? Namespace { get; init; }
}
