using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes;

/// <summary>The tenant's workloads, by the <c>app.kubernetes.io/name</c> label that selects their pods.</summary>
internal static class Workloads
{
    /// <summary>The tenant's own service account, without an API token.</summary>
    public const string ServiceAccount = TenantObjects.ServiceAccount;

    public const string AdminSite = TenantObjects.AdminSite;
    public const string Postgres = TenantObjects.Postgres;
    public const string Backup = TenantObjects.Backup;
    public const string ScheduledJob = TenantObjects.ScheduledJob;
    public const string SmokeCheck = TenantObjects.SmokeCheck;

    /// <summary>The tenant labels, plus the workload's name label where there is one.</summary>
    public static InputMap<string> Labels(Tenant tenant, string? workload = null)
    {
        var labels = new InputMap<string> { { TenantObjects.ManagedByLabel, "pulumi" } };
        foreach (var (key, value) in tenant.Names.Labels)
        {
            labels.Add(key, value);
        }
        if (workload is not null)
        {
            labels.Add(TenantObjects.NameLabel, workload);
        }
        return labels;
    }

    public static InputMap<string> Selector(string workload) => new() { { TenantObjects.NameLabel, workload } };

    public static LabelSelectorArgs PodSelector(string workload) => new() { MatchLabels = Selector(workload) };
}
