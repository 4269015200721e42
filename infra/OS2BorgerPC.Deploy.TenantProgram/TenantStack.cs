using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantProgram.Components;
using OS2BorgerPC.Deploy.TenantProgram.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;
using Pulumi;

namespace OS2BorgerPC.Deploy.TenantProgram;

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
        var (loaded, emailPassword, stackFile, backupS3Key) = PulumiTenantConfig.Load();
        var resolved = PulumiPlatform.Load(loaded, stackFile);
        var tenant = resolved.Tenant;
        // The tenant's traffic on its platform, or a refusal before anything is provisioned: a route is never
        // created without its allow-list.
        var traffic = Traffic(tenant, resolved.Platform, stackFile);
        RefuseUnservedImages(tenant, resolved.Platform, stackFile);
        var provider = new Pulumi.Kubernetes.Provider("cluster", ClusterProvider(tenant, resolved.Platform));
        var inCluster = new ComponentResourceOptions { Providers = { provider } };
        var offSite = OffSiteBackup.For(tenant, resolved.Platform.Backup);
        // Only a tenant with Azure resources has an Azure provider: a cluster tenant never needs Azure credentials.
        var azure = tenant.Hosting == Hosting.Azure || offSite.Credentials == BackupCredentials.WorkloadIdentity ? AzureProviders.AzureProvider.Create(AzureProgram.Tenant) : null;
        if (azure is not null)
        {
            inCluster.Providers.Add(azure);
        }

        var ns = new TenantNamespace(resolved, inCluster);
        var scope = ns.Scope;
        var secrets = new TenantSecrets(scope, emailPassword, inCluster);
        if (offSite.Credentials == BackupCredentials.S3Keys)
        {
            // PlatformInputs.Resolve has refused an S3 platform without the tenant's key: nothing is provisioned without it.
            new BackupStoreCredentials(scope, offSite, backupS3Key ?? throw new InvalidOperationException("An S3 backup target without the tenant's key passed the platform check."), inCluster);
        }
        var (database, volumes, resourceGroup, backupClientId) = tenant.Hosting switch
        {
            Hosting.Kubernetes => InCluster(scope, secrets, offSite, inCluster),
            _ => OnAzure(scope, secrets, offSite, azure!, inCluster),
        };
        new TenantNetworkPolicies(scope, traffic, database, inCluster);
        new TenantOperatorAccess(scope, inCluster);
        if (TenantDecisions.Monitoring.TenantAlerts.For(tenant, resolved.Platform) is { } alerts)
        {
            new TenantAlertRules(scope, alerts, inCluster);
        }
        var backup = new BackupJob(scope, database, volumes, offSite, backupClientId, inCluster);
        // Commands run against a real cluster only: a rendered demo has nothing to back up or check.
        Resource[] rolloutAfter = tenant.HasLiveCluster ? [new PreUpgradeBackup(scope, backup, inCluster).Command] : [];
        var site = new AdminSite(scope, database, volumes, secrets, rolloutAfter, inCluster);
        var routes = new AdminSiteTraffic(scope, traffic, site.Web, inCluster);
        new AdminSiteJobs(scope, inCluster);
        if (tenant.RunsSmokeCheck)
        {
            new SmokeCheck(scope, site, routes, inCluster);
        }

        AdminUrl = Output.Create(tenant.AdminUrl);
        XmlRpcUrl = Output.Create(tenant.XmlRpcUrl);
        Namespace = ns.Name;
        AdminUsername = Output.Create(tenant.Admin.Username);
        AdminPassword = Output.CreateSecret(secrets.AdminPassword);
        DatabaseHost = database.Host;
        ResourceGroup = resourceGroup ?? Output.Create((string?)null);
        ImmutableSettings = Output.Create(TenantDecisions.Security.ImmutableSettings.Values(tenant).ToImmutableDictionary());
        BackupRepositoryPassword = backup.RepositoryPassword;
    }

    /// <summary>The deployed values of the settings fixed at creation, for <c>tenant check --against</c>.</summary>
    [Output(TenantDecisions.Security.ImmutableSettings.OutputName)]
    public Output<ImmutableDictionary<string, string>> ImmutableSettings { get; private set; }

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

    /// <summary>The in-cluster service, or the managed server's FQDN.</summary>
    [Output("databaseHost")]
    public Output<string> DatabaseHost { get; private set; }

    /// <summary>The tenant's Azure resource group (hosting azure only).</summary>
    [Output("resourceGroup")]
    public Output<string?> ResourceGroup { get; private set; }

    /// <summary>The restic repository's password (secret): with the platform's store, all a restore needs when the cluster is gone.</summary>
    [Output("backupRepositoryPassword")]
    public Output<string> BackupRepositoryPassword { get; private set; }

    /// <summary>CloudNativePG and claims in the tenant's namespace.</summary>
    private static (Contracts.DatabaseConnection, Contracts.TenantVolumes, Output<string?>?, Output<string>?) InCluster(
        Kubernetes.TenantScope scope, TenantSecrets secrets, OffSiteBackup offSite, ComponentResourceOptions options)
    {
        var tenant = scope.Tenant;
        // CNPG's instances archive WAL under their cluster's ServiceAccount (named after the cluster).
        var clientId = offSite.Credentials == BackupCredentials.WorkloadIdentity
            ? BackupIdentity(scope, [OffSiteBackup.ServiceAccount, CloudNativePg.ClusterName, CloudNativePg.RecoveryClusterName], options)
            : null;
        var database = new CloudNativePgDatabase(scope, CloudNativePg.For(tenant, offSite, scope.Platform), scope.Platform.StorageClasses.Data,
            secrets.DatabasePassword, secrets.DatabasePasswordRef, clientId, options);
        var storage = new InClusterStorage(scope, options);
        return (database.Connection, storage.Volumes, null, clientId);
    }

    /// <summary>
    /// Managed database and storage in the tenant's own resource group. An azure platform's foundation made it (TenantResourceGroups
    /// in the foundation program), and the deploying identity writes in that group only, never on the subscription; on a cluster
    /// platform, which makes nothing in Azure, the tenant makes it. The app stays on the cluster.
    /// </summary>
    private static (Contracts.DatabaseConnection, Contracts.TenantVolumes, Output<string?>?, Output<string>?) OnAzure(
        Kubernetes.TenantScope scope, TenantSecrets secrets, OffSiteBackup offSite, Pulumi.Azure.Provider azure, ComponentResourceOptions options)
    {
        var tenant = scope.Tenant;
        Input<string> resourceGroup = scope.Platform.MakesTenantResourceGroups ? tenant.Names.ResourceGroup : OwnResourceGroup(tenant, azure);
        var database = new AzureDatabase(scope, resourceGroup, secrets, options);
        var storage = new AzureStorage(scope, resourceGroup, options);
        var clientId = offSite.Credentials == BackupCredentials.WorkloadIdentity
            ? BackupIdentity(scope, [OffSiteBackup.ServiceAccount], options)
            : null;
        return (database.Connection, storage.Volumes, resourceGroup.ToOutput().Apply(name => (string?)name), clientId);
    }

    /// <summary>The group of an azure tenant on a cluster platform. Deleting a resource group deletes everything in it: it is guarded like the data.</summary>
    private static Output<string> OwnResourceGroup(Tenant tenant, Pulumi.Azure.Provider azure)
    {
        var groupOptions = DataProtection.Options();
        groupOptions.Provider = azure;
        return new Pulumi.Azure.Core.ResourceGroup("resource-group", new Pulumi.Azure.Core.ResourceGroupArgs
        {
            Name = tenant.Names.ResourceGroup,
            Location = tenant.Azure!.Location,
            Tags = Azure.AzureData.Tags(tenant),
        }, groupOptions).Name;
    }

    private static TenantTraffic Traffic(Tenant tenant, PlatformFacts platform, string stackFile)
    {
        var (traffic, problems) = TenantTraffic.Plan(tenant, platform, stackFile);
        return traffic ?? throw Refusal($"The traffic of tenant '{tenant.Slug}' cannot be expressed on its platform", problems);
    }

    private static RunException Refusal(string what, IEnumerable<TenantDecisions.Validation.Problem> problems) =>
        new($"{what}; nothing was provisioned:{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => $"  {p}")));

    /// <summary>Every image the tenant runs must be pullable on its platform (cache rule, digest), or nothing is provisioned.</summary>
    private static void RefuseUnservedImages(Tenant tenant, PlatformFacts platform, string stackFile)
    {
        var problems = TenantImages.For(tenant, platform.Images, stackFile).Problems;
        if (problems.Count > 0)
        {
            throw Refusal($"The images of tenant '{tenant.Slug}' cannot be pulled on its platform", problems);
        }
    }

    /// <summary>
    /// The tenant's backup identity where the off-site store is Azure Blob (workload identity): its client id. It lives in the
    /// tenant's foundation-made group in both hostings (azureBlob is an azure platform's target), never in the locked backup
    /// group, where replacing or deleting it would meet the group's CanNotDelete lock. A drill target (backup.drillFrom) also
    /// gets the drill's reader identity there, its only way into the source's container.
    /// </summary>
    private static Output<string> BackupIdentity(Kubernetes.TenantScope scope, IReadOnlyList<string> serviceAccounts, ComponentResourceOptions options)
    {
        var group = scope.Tenant.Names.ResourceGroup;
        if (scope.Tenant.Backup.DrillFrom is { } source)
        {
            new AzureDrillReader(scope, source, group, options);
        }
        return new AzureBackupIdentity(scope, scope.Platform, group, serviceAccounts, options).ClientId;
    }

    /// <param name="platform">
    /// The platform as the tenant sees it: its context is the tenant file's, else the platform's; an AKS platform's
    /// cluster is reached through Entra ID (<see cref="AksKubeconfig"/>), never with a stored credential.
    /// </param>
    private static Pulumi.Kubernetes.ProviderArgs ClusterProvider(Tenant tenant, PlatformFacts platform)
    {
        var args = new Pulumi.Kubernetes.ProviderArgs { EnableServerSideApply = true };
        if (tenant.Cluster.RenderToDirectory is { } directory)
        {
            // Rendering talks to no cluster. Relative to the repository root (the program runs in infra/OS2BorgerPC.Deploy.TenantProgram).
            args.RenderYamlToDirectory = Path.GetFullPath(Path.Combine(ProjectWorkspace.Find(Directory.GetCurrentDirectory()).Root, directory));
        }
        else if (platform.KubeContext is { } context)
        {
            args.Context = context;
        }
        else if (platform.Aks is { } aks)
        {
            args.KubeConfig = AksKubeconfig.For(aks);
        }
        return args;
    }
}
