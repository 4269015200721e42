using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using CustomResourceArgs = Pulumi.Kubernetes.ApiExtensions.CustomResourceArgs;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes;

// The fields of the Prometheus Operator's monitoring.coreos.com/v1 PodMonitor the kit sets (as CloudNativePG's own
// PodMonitor: cloudnative-pg v1.30.0 pkg/specs/podmonitor.go).

/// <summary>A PodMonitor: Prometheus scrapes the selected pods' named port.</summary>
public sealed class PodMonitor(string name, PodMonitorArgs args, CustomResourceOptions? options = null)
    : CustomResource(name, args, options);

public sealed class PodMonitorArgs() : CustomResourceArgs("monitoring.coreos.com/v1", "PodMonitor")
{
    [Input("spec", required: true)]
    public Input<PodMonitorSpecArgs> Spec { get; set; } = null!;
}

public sealed class PodMonitorSpecArgs : ResourceArgs
{
    [Input("selector", required: true)]
    public Input<LabelSelectorArgs> Selector { get; set; } = null!;

    [Input("podMetricsEndpoints", required: true)]
    public InputList<PodMetricsEndpointArgs> PodMetricsEndpoints { get; set; } = [];
}

public sealed class PodMetricsEndpointArgs : ResourceArgs
{
    [Input("port", required: true)]
    public Input<string> Port { get; set; } = null!;
}
