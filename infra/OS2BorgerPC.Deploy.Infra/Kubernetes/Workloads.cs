using OS2BorgerPC.Deploy.Tenants.Model;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace OS2BorgerPC.Deploy.Infra.Kubernetes;

/// <summary>The tenant's workloads, by the <c>app.kubernetes.io/name</c> label that selects their pods.</summary>
internal static class Workloads
{
    public const string NameLabel = "app.kubernetes.io/name";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The tenant's own service account, without an API token.</summary>
    public const string ServiceAccount = "os2borgerpc";

    public const string AdminSite = "admin-site";
    public const string Postgres = "postgres";
    public const string Backup = "backup";
    public const string ScheduledJob = "scheduled-job";

    /// <summary>The tenant labels, plus the workload's name label where there is one.</summary>
    public static InputMap<string> Labels(Tenant tenant, string? workload = null)
    {
        var labels = new InputMap<string> { { ManagedByLabel, "pulumi" } };
        foreach (var (key, value) in tenant.Names.Labels)
        {
            labels.Add(key, value);
        }
        if (workload is not null)
        {
            labels.Add(NameLabel, workload);
        }
        return labels;
    }

    public static InputMap<string> Selector(string workload) => new() { { NameLabel, workload } };

    public static LabelSelectorArgs PodSelector(string workload) => new() { MatchLabels = Selector(workload) };
}
