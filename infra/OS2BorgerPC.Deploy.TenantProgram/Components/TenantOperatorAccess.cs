using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using Pulumi;
using Pulumi.Kubernetes.Rbac.V1;
using Pulumi.Kubernetes.Types.Inputs.Rbac.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// What the tenant's operators may do in its namespace (<see cref="OperatorAccess"/>): a Role that reads the
/// workloads, their state and events, and withholds Secrets, <c>pods/log</c> (the upstream entrypoint logs the
/// bootstrap admin password), exec, attach, port-forward and proxy; bound to the tenant's operator group.
/// </summary>
public sealed class TenantOperatorAccess : ComponentResource
{
    public TenantOperatorAccess(TenantScope scope, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:TenantOperatorAccess", scope.Tenant.Slug, options)
    {
        var child = new CustomResourceOptions { Parent = this };
        var role = new Role("operator", new RoleArgs
        {
            Metadata = scope.Meta(OperatorAccess.RoleName),
            Rules = OperatorAccess.Rules.Select(rule => new PolicyRuleArgs
            {
                ApiGroups = [.. rule.ApiGroups],
                Resources = [.. rule.Resources],
                Verbs = [.. rule.Verbs],
            }).ToList(),
        }, child);
        var binding = new RoleBinding("operator", new RoleBindingArgs
        {
            Metadata = scope.Meta(OperatorAccess.RoleName),
            RoleRef = new RoleRefArgs { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = role.Metadata.Apply(m => m.Name) },
            Subjects = new SubjectArgs { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = OperatorAccess.Group(scope.Tenant) },
        }, child);

        RegisterOutputs(new Dictionary<string, object?> { ["role"] = role.Metadata.Apply(m => m.Name), ["binding"] = binding.Metadata.Apply(m => m.Name) });
    }
}
