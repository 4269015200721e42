using Pulumi;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using CustomResourceArgs = Pulumi.Kubernetes.ApiExtensions.CustomResourceArgs;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes;

// The fields of the Prometheus Operator's monitoring.coreos.com/v1 PrometheusRule the kit sets: groups of alerting
// rules (alert, expr, for, labels, annotations).

/// <summary>A PrometheusRule: alerting rules the Prometheus Operator loads into the Prometheus that selects it.</summary>
public sealed class PrometheusRule(string name, PrometheusRuleArgs args, CustomResourceOptions? options = null)
    : CustomResource(name, args, options);

public sealed class PrometheusRuleArgs() : CustomResourceArgs("monitoring.coreos.com/v1", "PrometheusRule")
{
    [Input("spec", required: true)]
    public Input<PrometheusRuleSpecArgs> Spec { get; set; } = null!;
}

public sealed class PrometheusRuleSpecArgs : ResourceArgs
{
    [Input("groups", required: true)]
    public InputList<RuleGroupArgs> Groups { get; set; } = [];
}

public sealed class RuleGroupArgs : ResourceArgs
{
    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;

    [Input("rules", required: true)]
    public InputList<AlertingRuleArgs> Rules { get; set; } = [];
}

public sealed class AlertingRuleArgs : ResourceArgs
{
    [Input("alert", required: true)]
    public Input<string> Alert { get; set; } = null!;

    [Input("expr", required: true)]
    public Input<string> Expr { get; set; } = null!;

    [Input("for")]
    public Input<string>? For { get; set; }

    [Input("labels")]
    public InputMap<string> Labels { get; set; } = [];

    [Input("annotations")]
    public InputMap<string> Annotations { get; set; } = [];
}
