namespace OS2BorgerPC.Deploy.TenantDecisions.Model;

/// <summary>Where a tenant's database and storage live. The admin site always runs on Kubernetes.</summary>
public enum Hosting
{
    /// <summary>PostgreSQL and volumes inside the cluster: any conformant cluster, no cloud account.</summary>
    Kubernetes,

    /// <summary>A managed Azure PostgreSQL flexible server and storage account per tenant.</summary>
    Azure,
}
