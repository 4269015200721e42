using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes;

/// <summary>
/// A tenant, the platform it runs on and its namespace once created. Objects take the namespace from here
/// (an output), so Pulumi creates them after the namespace and its policies exist.
/// </summary>
/// <param name="Tenant">The tenant resolved against its platform (<see cref="PlatformInputs.Resolve"/>).</param>
/// <param name="Platform">The platform's facts as this tenant sees them: the tenant file's overrides applied.</param>
public sealed record TenantScope(Tenant Tenant, PlatformFacts Platform, Output<string> Namespace)
{
    /// <summary>Where the tenant's pods pull each image from; TenantStack has refused a tenant whose images its platform cannot serve.</summary>
    public TenantImages Images { get; } = TenantImages.For(Tenant, Platform.Images, "").Images
        ?? throw new InvalidOperationException("A tenant whose images its platform cannot serve passed the image check.");

    /// <summary>Metadata of an object in the tenant's namespace, carrying the tenant labels.</summary>
    public ObjectMetaArgs Meta(string name, string? workload = null) => new()
    {
        Name = name,
        Namespace = Namespace,
        Labels = Workloads.Labels(Tenant, workload),
    };

    /// <summary>Metadata of a pod template: labels only (the owner names the pods).</summary>
    public ObjectMetaArgs PodMeta(string workload, InputMap<string>? annotations = null) => new()
    {
        Labels = Workloads.Labels(Tenant, workload),
        Annotations = annotations ?? [],
    };
}
