using OS2BorgerPC.Deploy.TenantDecisions.Model;
using Pulumi;
using Pulumi.Azure.Management;
using Lock = Pulumi.Azure.Management.Lock;

namespace OS2BorgerPC.Deploy.TenantProgram.Azure;

/// <summary>How the kit marks and guards a tenant's Azure resources.</summary>
internal static class AzureData
{
    /// <summary>The tenant labels as Azure tags, so every Azure resource says whose it is.</summary>
    public static InputMap<string> Tags(Tenant tenant)
    {
        var tags = new InputMap<string>();
        foreach (var (key, value) in tenant.Names.Labels)
        {
            tags.Add(key, value);
        }
        return tags;
    }

    /// <summary>A CanNotDelete lock: Azure itself refuses to delete the resource, whoever asks.</summary>
    public static Lock DeleteLock(string name, Input<string> scope, Tenant tenant, Resource parent) => new(name, new LockArgs
    {
        Scope = scope,
        LockLevel = "CanNotDelete",
        Notes = $"OS2BorgerPC data of {tenant.DisplayName}: remove this lock only to delete the tenant on purpose.",
    }, new CustomResourceOptions { Parent = parent });
}
