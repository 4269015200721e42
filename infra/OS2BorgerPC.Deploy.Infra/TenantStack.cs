using OS2BorgerPC.Deploy.Infra.Components;
using OS2BorgerPC.Deploy.Infra.Configuration;
using OS2BorgerPC.Deploy.Tenants.Model;
using Pulumi;

namespace OS2BorgerPC.Deploy.Infra;

/// <summary>
/// One tenant's stack: what <c>pulumi up --stack &lt;tenant&gt;</c> provisions. The same class serves
/// the Pulumi CLI (Program.cs) and the Automation API.
/// </summary>
public class TenantStack : Stack
{
    public TenantStack()
        : this(null)
    {
    }

    /// <param name="options">Stack options; tests observe the resource options through a transformation here.</param>
    protected TenantStack(StackOptions? options)
        : base(options)
    {
        var (tenant, emailPassword) = PulumiTenantConfig.Load();
        var provider = new Pulumi.Kubernetes.Provider("cluster", ClusterProvider(tenant));
        var inCluster = new ComponentResourceOptions { Providers = { provider } };

        var ns = new TenantNamespace(tenant, inCluster);
        var scope = ns.Scope;
        var secrets = new TenantSecrets(scope, emailPassword, inCluster);
        var (database, volumes) = tenant.Hosting switch
        {
            Hosting.Kubernetes => InCluster(scope, secrets, inCluster),
            _ => throw new RunException($"Hosting {tenant.Hosting.ToString().ToLowerInvariant()} is not provisioned by this program yet (see README, \"Hostings\")."),
        };
        new TenantNetworkPolicies(scope, database, inClusterDatabase: tenant.Hosting == Hosting.Kubernetes, inCluster);
        new AdminSite(scope, database, volumes, secrets, inCluster);
        new AdminSiteJobs(scope, inCluster);
        new BackupJob(scope, database, volumes, inCluster);

        AdminUrl = Output.Create(tenant.AdminUrl);
        XmlRpcUrl = Output.Create(tenant.XmlRpcUrl);
        Namespace = ns.Name;
        AdminUsername = Output.Create(tenant.Admin.Username);
        AdminPassword = Output.CreateSecret(secrets.AdminPassword);
    }

    [Output("adminUrl")]
    public Output<string> AdminUrl { get; private set; }

    /// <summary>Where BorgerPC clients register (os2borgerpc-client's admin URL).</summary>
    [Output("xmlRpcUrl")]
    public Output<string> XmlRpcUrl { get; private set; }

    [Output("namespace")]
    public Output<string> Namespace { get; private set; }

    [Output("adminUsername")]
    public Output<string> AdminUsername { get; private set; }

    [Output("adminPassword")]
    public Output<string> AdminPassword { get; private set; }

    private static (Contracts.DatabaseConnection, Contracts.TenantVolumes) InCluster(
        Kubernetes.TenantScope scope, TenantSecrets secrets, ComponentResourceOptions options)
    {
        var database = new InClusterDatabase(scope, secrets.DatabasePasswordRef, options);
        var storage = new InClusterStorage(scope, options);
        return (database.Connection, storage.Volumes);
    }

    private static Pulumi.Kubernetes.ProviderArgs ClusterProvider(Tenant tenant)
    {
        var args = new Pulumi.Kubernetes.ProviderArgs { EnableServerSideApply = true };
        if (tenant.Cluster.Context is { } context)
        {
            args.Context = context;
        }
        if (tenant.Cluster.RenderToDirectory is { } directory)
        {
            // Relative to the repository root (the program runs in infra/OS2BorgerPC.Deploy.Infra).
            args.RenderYamlToDirectory = Path.GetFullPath(Path.Combine(RepositoryRoot(), directory));
        }
        return args;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
