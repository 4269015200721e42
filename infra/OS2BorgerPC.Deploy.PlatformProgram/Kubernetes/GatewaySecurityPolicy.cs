using Pulumi;
using Pulumi.Kubernetes.ApiExtensions;

namespace OS2BorgerPC.Deploy.PlatformProgram.Kubernetes;

/// <summary>
/// An Envoy Gateway SecurityPolicy (gateway.envoyproxy.io/v1alpha1) on the shared Gateway or one of its listeners,
/// as much of it as the platform needs: one authorization action for every request (no rules).
/// </summary>
public sealed class GatewaySecurityPolicy(string name, GatewaySecurityPolicyArgs args, CustomResourceOptions? options = null)
    : Pulumi.Kubernetes.ApiExtensions.CustomResource(name, args, options);

public sealed class GatewaySecurityPolicyArgs() : CustomResourceArgs("gateway.envoyproxy.io/v1alpha1", "SecurityPolicy")
{
    [Input("spec", required: true)]
    public required Input<GatewaySecurityPolicySpecArgs> Spec { get; init; }
}

public sealed class GatewaySecurityPolicySpecArgs : ResourceArgs
{
    [Input("targetRefs", required: true)]
    public InputList<GatewayTargetReferenceArgs> TargetRefs { get; init; } = [];

    [Input("authorization", required: true)]
    public required Input<DefaultAuthorizationArgs> Authorization { get; init; }
}

/// <summary>The Gateway, or one of its listeners (<see cref="SectionName"/>): targetRefs are local to the policy's namespace.</summary>
public sealed class GatewayTargetReferenceArgs : ResourceArgs
{
    [Input("group", required: true)]
    public Input<string> Group { get; init; } = "gateway.networking.k8s.io";

    [Input("kind", required: true)]
    public Input<string> Kind { get; init; } = "Gateway";

    [Input("name", required: true)]
    public required Input<string> Name { get; init; }

    [Input("sectionName")]
    public Input<string>? SectionName { get; init; }
}

public sealed class DefaultAuthorizationArgs : ResourceArgs
{
    [Input("defaultAction", required: true)]
    public required Input<string> DefaultAction { get; init; }
}
