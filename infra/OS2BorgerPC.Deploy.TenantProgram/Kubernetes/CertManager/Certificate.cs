using Pulumi;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using CustomResourceArgs = Pulumi.Kubernetes.ApiExtensions.CustomResourceArgs;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes.CertManager;

/// <summary>A cert-manager Certificate (cert-manager.io/v1): cert-manager keeps a signed key pair in <c>secretName</c>.</summary>
public sealed class Certificate(string name, CertificateArgs args, CustomResourceOptions? options = null)
    : CustomResource(name, args, options);

public sealed class CertificateArgs() : CustomResourceArgs("cert-manager.io/v1", "Certificate")
{
    [Input("spec", required: true)]
    public Input<CertificateSpecArgs> Spec { get; set; } = null!;
}

public sealed class CertificateSpecArgs : ResourceArgs
{
    [Input("secretName", required: true)]
    public Input<string> SecretName { get; set; } = null!;

    [Input("dnsNames", required: true)]
    public InputList<string> DnsNames { get; set; } = [];

    [Input("issuerRef", required: true)]
    public Input<IssuerReferenceArgs> IssuerRef { get; set; } = null!;
}

public sealed class IssuerReferenceArgs : ResourceArgs
{
    [Input("group")]
    public Input<string> Group { get; set; } = "cert-manager.io";

    [Input("kind")]
    public Input<string> Kind { get; set; } = "ClusterIssuer";

    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;
}
