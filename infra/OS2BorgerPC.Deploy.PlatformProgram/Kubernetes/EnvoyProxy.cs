using Pulumi;
using Pulumi.Kubernetes.ApiExtensions;

namespace OS2BorgerPC.Deploy.PlatformProgram.Kubernetes;

/// <summary>
/// Envoy Gateway's EnvoyProxy (gateway.envoyproxy.io/v1alpha1): how the data plane of a GatewayClass's Gateways
/// is deployed: its Service (externalTrafficPolicy Local keeps the client's source address), replicas, spread,
/// resources and PodDisruptionBudget.
/// </summary>
public sealed class EnvoyProxy(string name, EnvoyProxyArgs args, CustomResourceOptions? options = null)
    : Pulumi.Kubernetes.ApiExtensions.CustomResource(name, args, options);

public sealed class EnvoyProxyArgs() : CustomResourceArgs("gateway.envoyproxy.io/v1alpha1", "EnvoyProxy")
{
    [Input("spec", required: true)]
    public required Input<EnvoyProxySpecArgs> Spec { get; init; }
}

public sealed class EnvoyProxySpecArgs : ResourceArgs
{
    [Input("provider", required: true)]
    public required Input<EnvoyProxyProviderArgs> Provider { get; init; }
}

public sealed class EnvoyProxyProviderArgs : ResourceArgs
{
    [Input("type", required: true)]
    public required Input<string> Type { get; init; }

    [Input("kubernetes")]
    public Input<EnvoyProxyKubernetesArgs>? Kubernetes { get; init; }
}

public sealed class EnvoyProxyKubernetesArgs : ResourceArgs
{
    [Input("envoyService")]
    public Input<EnvoyServiceArgs>? EnvoyService { get; init; }

    [Input("envoyDeployment")]
    public Input<EnvoyDeploymentArgs>? EnvoyDeployment { get; init; }

    /// <summary>The PodDisruptionBudget Envoy Gateway makes for the data plane (none when unset).</summary>
    [Input("envoyPDB")]
    public Input<EnvoyPdbArgs>? EnvoyPdb { get; init; }
}

public sealed class EnvoyPdbArgs : ResourceArgs
{
    [Input("minAvailable")]
    public Input<int>? MinAvailable { get; init; }
}

public sealed class EnvoyServiceArgs : ResourceArgs
{
    [Input("type")]
    public Input<string>? Type { get; init; }

    [Input("externalTrafficPolicy")]
    public Input<string>? ExternalTrafficPolicy { get; init; }

    [Input("annotations")]
    public InputMap<string>? Annotations { get; init; }
}

public sealed class EnvoyDeploymentArgs : ResourceArgs
{
    [Input("replicas")]
    public Input<int>? Replicas { get; init; }

    [Input("pod")]
    public Input<EnvoyPodArgs>? Pod { get; init; }

    [Input("container")]
    public Input<EnvoyContainerArgs>? Container { get; init; }
}

public sealed class EnvoyPodArgs : ResourceArgs
{
    [Input("topologySpreadConstraints")]
    public InputList<Pulumi.Kubernetes.Types.Inputs.Core.V1.TopologySpreadConstraintArgs> TopologySpreadConstraints { get; init; } = [];
}

public sealed class EnvoyContainerArgs : ResourceArgs
{
    [Input("resources")]
    public Input<Pulumi.Kubernetes.Types.Inputs.Core.V1.ResourceRequirementsArgs>? Resources { get; init; }
}
