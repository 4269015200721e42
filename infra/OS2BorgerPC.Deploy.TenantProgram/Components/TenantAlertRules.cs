using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Monitoring;
using Pulumi;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>The tenant's alert rules (<see cref="TenantAlerts"/>) as one PrometheusRule in its namespace.</summary>
public sealed class TenantAlertRules : ComponentResource
{
    public TenantAlertRules(TenantScope scope, TenantAlerts alerts, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:TenantAlertRules", scope.Tenant.Slug, options)
    {
        new PrometheusRule("alerts", new PrometheusRuleArgs
        {
            Metadata = scope.Meta(alerts.Name),
            Spec = new PrometheusRuleSpecArgs
            {
                Groups =
                {
                    new RuleGroupArgs
                    {
                        Name = $"os2borgerpc-{scope.Tenant.Slug}",
                        Rules = alerts.Rules.Select(rule => new AlertingRuleArgs
                        {
                            Alert = rule.Name,
                            Expr = rule.Expression,
                            For = rule.For,
                            Labels = { { "severity", rule.Severity }, { "tenant", scope.Tenant.Slug } },
                            Annotations = { { "summary", rule.Summary } },
                        }).ToList(),
                    },
                },
            },
        }, new CustomResourceOptions { Parent = this });
        RegisterOutputs();
    }
}
