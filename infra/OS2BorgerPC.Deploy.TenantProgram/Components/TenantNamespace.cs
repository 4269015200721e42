using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// The tenant's namespace: Pod Security Standard <c>restricted</c> enforced, quotas (long-running pods, Jobs,
/// storage) and default limits from the size tier, and a service account without an API token.
/// </summary>
public sealed class TenantNamespace : ComponentResource
{
    public TenantNamespace(ResolvedTenant resolved, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:TenantNamespace", resolved.Tenant.Slug, options)
    {
        var tenant = resolved.Tenant;
        var labels = Workloads.Labels(tenant);
        foreach (var mode in new[] { "enforce", "audit", "warn" })
        {
            labels.Add($"pod-security.kubernetes.io/{mode}", "restricted");
            labels.Add($"pod-security.kubernetes.io/{mode}-version", "latest");
        }
        // Deleting a namespace deletes every claim in it: the namespace is as protected as the data.
        var ns = new Namespace("namespace", new NamespaceArgs
        {
            Metadata = new ObjectMetaArgs { Name = tenant.Names.Namespace, Labels = labels },
        }, DataProtection.Options(this));
        Name = ns.Metadata.Apply(m => m.Name);

        var size = tenant.Size;
        Scope = new TenantScope(tenant, resolved.Platform, Name);
        // Scoped quotas: the app and database (NotTerminating) and the Jobs (Terminating, pods with a deadline) each
        // have room for all of theirs at their limits, so neither can starve the other (TenantQuota).
        foreach (var quota in new[] { TenantQuota.LongRunning(size, tenant.Hosting), TenantQuota.Jobs(size) })
        {
            new ResourceQuota(quota.Name, new ResourceQuotaArgs
            {
                Metadata = Scope.Meta(quota.Name),
                Spec = new ResourceQuotaSpecArgs
                {
                    Scopes = { quota.Scope },
                    Hard =
                    {
                        { "pods", quota.Pods.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        { "requests.cpu", quota.Compute.CpuRequest },
                        { "limits.cpu", quota.Compute.CpuLimit },
                        { "requests.memory", quota.Compute.MemoryRequest },
                        { "limits.memory", quota.Compute.MemoryLimit },
                    },
                },
            }, new CustomResourceOptions { Parent = this });
        }
        // Storage and object counts cannot be in a scoped quota (the API server refuses them there).
        var (claims, storageGiB) = TenantQuota.Storage(tenant);
        new ResourceQuota(TenantQuota.StorageName, new ResourceQuotaArgs
        {
            Metadata = Scope.Meta(TenantQuota.StorageName),
            Spec = new ResourceQuotaSpecArgs
            {
                Hard =
                {
                    { "requests.storage", Quantities.Storage(storageGiB) },
                    { "persistentvolumeclaims", claims.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    { "services.loadbalancers", "0" },
                    { "services.nodeports", "0" },
                },
            },
        }, new CustomResourceOptions { Parent = this });

        // Defaults for any container that states no resources of its own (e.g. a one-off job).
        new LimitRange("limits", new LimitRangeArgs
        {
            Metadata = Scope.Meta("tenant-limits"),
            Spec = new LimitRangeSpecArgs
            {
                Limits = new LimitRangeItemArgs
                {
                    Type = "Container",
                    DefaultRequest = { { "cpu", size.Job.CpuRequest }, { "memory", size.Job.MemoryRequest } },
                    Default = { { "cpu", size.Job.CpuLimit }, { "memory", size.Job.MemoryLimit } },
                },
            },
        }, new CustomResourceOptions { Parent = this });

        new ServiceAccount("service-account", new ServiceAccountArgs
        {
            Metadata = Scope.Meta(Workloads.ServiceAccount),
            // Nothing of the tenant talks to the Kubernetes API.
            AutomountServiceAccountToken = false,
        }, new CustomResourceOptions { Parent = this });

        RegisterOutputs(new Dictionary<string, object?> { ["name"] = Name });
    }

    public Output<string> Name { get; }

    /// <summary>What the tenant's other components build in.</summary>
    public TenantScope Scope { get; }
}
