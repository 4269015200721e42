using OS2BorgerPC.Deploy.Infra.Kubernetes;
using OS2BorgerPC.Deploy.Tenants.Templates;
using Pulumi;

namespace OS2BorgerPC.Deploy.Infra.Components;

/// <summary>After each rollout, checks that the tenant's admin URL answers: its login page and XML-RPC.</summary>
public sealed class SmokeCheck : ComponentResource
{
    public SmokeCheck(TenantScope scope, AdminSite site, ComponentResourceOptions? options = null)
        : base("os2borgerpc:operations:SmokeCheck", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        Command = LocalScript.Run("smoke-check", OperationScripts.SmokeCheck(tenant),
            [tenant.Release.VersionText, tenant.Host],
            new CustomResourceOptions { Parent = this, DependsOn = { site.Deployment } });
        RegisterOutputs(new Dictionary<string, object?> { ["url"] = tenant.AdminUrl });
    }

    public Pulumi.Command.Local.Command Command { get; }
}
