using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using Pulumi;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using CustomResourceArgs = Pulumi.Kubernetes.ApiExtensions.CustomResourceArgs;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes.GatewayApi;

/// <summary>
/// The platform's shared Gateway, read (a tenant stack never creates or changes it): its status carries the
/// addresses it serves on, which the smoke check connects to.
/// </summary>
public sealed class PlatformGateway : CustomResource
{
    public PlatformGateway(string name, GatewayFacts gateway, CustomResourceOptions options)
        : base(name, new GatewayArgs(), CustomResourceOptions.Merge(options, new CustomResourceOptions { Id = $"{gateway.Namespace}/{gateway.Name}" }))
    {
    }

    [Output("status")]
    public Output<GatewayStatus?> Status { get; private set; } = null!;

    /// <summary>The first address the Gateway reports (an IP address or a host name).</summary>
    public Output<string> Address => Status.Apply(status => status?.Addresses.FirstOrDefault()?.Value
        ?? throw new InvalidOperationException("The platform's Gateway reports no address yet: check 'kubectl get gateway' in the platform's namespace."));

    private sealed class GatewayArgs() : CustomResourceArgs(GatewayApiGroup.ApiVersion, "Gateway");
}

[OutputType]
public sealed class GatewayStatus
{
    public readonly ImmutableArray<GatewayStatusAddress> Addresses;

    [OutputConstructor]
    private GatewayStatus(ImmutableArray<GatewayStatusAddress> addresses) => Addresses = addresses;
}

[OutputType]
public sealed class GatewayStatusAddress
{
    public readonly string Value;

    [OutputConstructor]
    private GatewayStatusAddress(string value) => Value = value;
}
