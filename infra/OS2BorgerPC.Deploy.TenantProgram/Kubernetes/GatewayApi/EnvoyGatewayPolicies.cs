using Pulumi;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using CustomResourceArgs = Pulumi.Kubernetes.ApiExtensions.CustomResourceArgs;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes.GatewayApi;

/// <summary>Envoy Gateway's policy resources (gateway.envoyproxy.io/v1alpha1), with the fields the kit sets.</summary>
public static class EnvoyGatewayGroup
{
    public const string ApiVersion = "gateway.envoyproxy.io/v1alpha1";
}

/// <summary>A route that a policy applies to: targetRefs are local to the policy's namespace.</summary>
public sealed class PolicyTargetReferenceArgs : ResourceArgs
{
    [Input("group", required: true)]
    public Input<string> Group { get; set; } = GatewayApiGroup.Group;

    [Input("kind", required: true)]
    public Input<string> Kind { get; set; } = "HTTPRoute";

    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;
}

/// <summary>A SecurityPolicy: here, authorization by the client's address with a default action.</summary>
public sealed class SecurityPolicy(string name, SecurityPolicyArgs args, CustomResourceOptions? options = null)
    : CustomResource(name, args, options);

public sealed class SecurityPolicyArgs() : CustomResourceArgs(EnvoyGatewayGroup.ApiVersion, "SecurityPolicy")
{
    [Input("spec", required: true)]
    public Input<SecurityPolicySpecArgs> Spec { get; set; } = null!;
}

public sealed class SecurityPolicySpecArgs : ResourceArgs
{
    [Input("targetRefs", required: true)]
    public InputList<PolicyTargetReferenceArgs> TargetRefs { get; set; } = [];

    [Input("authorization", required: true)]
    public Input<AuthorizationArgs> Authorization { get; set; } = null!;
}

/// <summary>Rules are tried in order; <see cref="DefaultAction"/> applies when none matches.</summary>
public sealed class AuthorizationArgs : ResourceArgs
{
    [Input("defaultAction", required: true)]
    public Input<string> DefaultAction { get; set; } = null!;

    [Input("rules", required: true)]
    public InputList<AuthorizationRuleArgs> Rules { get; set; } = [];
}

public sealed class AuthorizationRuleArgs : ResourceArgs
{
    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;

    [Input("action", required: true)]
    public Input<string> Action { get; set; } = null!;

    [Input("principal", required: true)]
    public Input<PrincipalArgs> Principal { get; set; } = null!;
}

/// <summary>The client's address as Envoy sees it (the platform preserves the real source address).</summary>
public sealed class PrincipalArgs : ResourceArgs
{
    [Input("clientCIDRs", required: true)]
    public InputList<string> ClientCidrs { get; set; } = [];
}

/// <summary>A BackendTrafficPolicy: here, request buffering with a size limit (larger requests are answered 413).</summary>
public sealed class BackendTrafficPolicy(string name, BackendTrafficPolicyArgs args, CustomResourceOptions? options = null)
    : CustomResource(name, args, options);

public sealed class BackendTrafficPolicyArgs() : CustomResourceArgs(EnvoyGatewayGroup.ApiVersion, "BackendTrafficPolicy")
{
    [Input("spec", required: true)]
    public Input<BackendTrafficPolicySpecArgs> Spec { get; set; } = null!;
}

public sealed class BackendTrafficPolicySpecArgs : ResourceArgs
{
    [Input("targetRefs", required: true)]
    public InputList<PolicyTargetReferenceArgs> TargetRefs { get; set; } = [];

    [Input("requestBuffer", required: true)]
    public Input<RequestBufferArgs> RequestBuffer { get; set; } = null!;
}

public sealed class RequestBufferArgs : ResourceArgs
{
    /// <summary>A Kubernetes quantity, e.g. "100Mi".</summary>
    [Input("limit", required: true)]
    public Input<string> Limit { get; set; } = null!;
}
