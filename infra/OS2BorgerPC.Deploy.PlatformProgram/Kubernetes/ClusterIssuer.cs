using Pulumi;
using Pulumi.Kubernetes.ApiExtensions;

namespace OS2BorgerPC.Deploy.PlatformProgram.Kubernetes;

/// <summary>A cert-manager ClusterIssuer (cert-manager.io/v1) with an ACME (Let's Encrypt) account.</summary>
public sealed class ClusterIssuer(string name, ClusterIssuerArgs args, CustomResourceOptions? options = null)
    : Pulumi.Kubernetes.ApiExtensions.CustomResource(name, args, options);

public sealed class ClusterIssuerArgs() : CustomResourceArgs("cert-manager.io/v1", "ClusterIssuer")
{
    [Input("spec", required: true)]
    public required Input<ClusterIssuerSpecArgs> Spec { get; init; }
}

public sealed class ClusterIssuerSpecArgs : ResourceArgs
{
    [Input("acme", required: true)]
    public required Input<AcmeIssuerArgs> Acme { get; init; }
}

public sealed class AcmeIssuerArgs : ResourceArgs
{
    [Input("server", required: true)]
    public required Input<string> Server { get; init; }

    [Input("email", required: true)]
    public required Input<string> Email { get; init; }

    /// <summary>The Secret holding the ACME account key (cert-manager creates it).</summary>
    [Input("privateKeySecretRef", required: true)]
    public required Input<SecretKeyReferenceArgs> PrivateKeySecretRef { get; init; }

    [Input("solvers", required: true)]
    public InputList<AcmeSolverArgs> Solvers { get; init; } = [];
}

public sealed class SecretKeyReferenceArgs : ResourceArgs
{
    [Input("name", required: true)]
    public required Input<string> Name { get; init; }
}

public sealed class AcmeSolverArgs : ResourceArgs
{
    [Input("http01")]
    public Input<Http01SolverArgs>? Http01 { get; init; }

    [Input("dns01")]
    public Input<Dns01SolverArgs>? Dns01 { get; init; }
}

public sealed class Http01SolverArgs : ResourceArgs
{
    /// <summary>cert-manager answers the challenge with a temporary HTTPRoute on these Gateways.</summary>
    [Input("gatewayHTTPRoute", required: true)]
    public required Input<GatewayHttpRouteSolverArgs> GatewayHttpRoute { get; init; }
}

public sealed class GatewayHttpRouteSolverArgs : ResourceArgs
{
    [Input("parentRefs", required: true)]
    public InputList<ParentReferenceArgs> ParentRefs { get; init; } = [];
}

public sealed class ParentReferenceArgs : ResourceArgs
{
    [Input("name", required: true)]
    public required Input<string> Name { get; init; }

    [Input("namespace")]
    public Input<string>? Namespace { get; init; }

    [Input("kind")]
    public Input<string>? Kind { get; init; }

    [Input("sectionName")]
    public Input<string>? SectionName { get; init; }
}

public sealed class Dns01SolverArgs : ResourceArgs
{
    [Input("azureDNS", required: true)]
    public required Input<AzureDnsSolverArgs> AzureDns { get; init; }
}

/// <summary>DNS-01 against an Azure DNS zone, signed in with workload identity (no secret).</summary>
public sealed class AzureDnsSolverArgs : ResourceArgs
{
    [Input("subscriptionID", required: true)]
    public required Input<string> SubscriptionId { get; init; }

    [Input("resourceGroupName", required: true)]
    public required Input<string> ResourceGroupName { get; init; }

    [Input("hostedZoneName", required: true)]
    public required Input<string> HostedZoneName { get; init; }

    [Input("environment")]
    public Input<string>? Environment { get; init; }

    [Input("managedIdentity", required: true)]
    public required Input<AzureManagedIdentityArgs> ManagedIdentity { get; init; }
}

public sealed class AzureManagedIdentityArgs : ResourceArgs
{
    [Input("clientID", required: true)]
    public required Input<string> ClientId { get; init; }
}
