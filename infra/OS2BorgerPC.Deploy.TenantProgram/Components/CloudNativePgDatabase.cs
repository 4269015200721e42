using OS2BorgerPC.Deploy.TenantProgram.Contracts;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes.CloudNativePg;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Networking.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// The database of a <c>kubernetes</c> tenant: a CloudNativePG Cluster (instances by size tier, TLS by CNPG's own
/// CA, no superuser access), the app's login as a managed role owning its database (password from the tenant's
/// Secret by reference, rotated by changing it), continuous WAL archiving and base backups to the platform's
/// off-site store through the Barman Cloud plugin (the tenant's ObjectStore), a ScheduledBackup, and a PodMonitor where
/// the platform has Prometheus. Decisions in <see cref="CloudNativePg"/>.
/// </summary>
public sealed class CloudNativePgDatabase : ComponentResource
{
    /// <param name="password">The app login's password (TenantSecrets.DatabasePassword), copied into CNPG's basic-auth Secret.</param>
    /// <param name="appPassword">Where the app reads the same password.</param>
    /// <param name="azureClientId">The tenant's backup identity (workload identity) on an azureBlob target; null on s3.</param>
    public CloudNativePgDatabase(TenantScope scope, CloudNativePg database, string? storageClass, Output<string> password, SecretKey appPassword,
        Output<string>? azureClientId, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:CloudNativePgDatabase", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var child = new CustomResourceOptions { Parent = this };

        // CNPG reads a login from a kubernetes.io/basic-auth Secret (username + password). With the cnpg.io/reload
        // label CNPG watches it and applies a changed password at once (cloudnative-pg v1.30.0 pkg/utils
        // WatchedLabelName, docs/src/certificates.md), not only at the next periodic reconcile.
        var loginMeta = scope.Meta(database.LoginSecret, Workloads.Postgres);
        loginMeta.Labels.Add(CloudNativePg.ReloadLabel, "true");
        var login = new Secret("login", new SecretArgs
        {
            Metadata = loginMeta,
            Type = "kubernetes.io/basic-auth",
            StringData = { { "username", database.Owner }, { "password", Output.CreateSecret(password) } },
        }, child);
        var loginRef = new LocalObjectReferenceArgs { Name = login.Metadata.Apply(m => m.Name) };

        var store = new ObjectStore("offsite", new ObjectStoreArgs
        {
            Metadata = scope.Meta(CloudNativePg.ObjectStoreName, Workloads.Postgres),
            Spec = new ObjectStoreSpecArgs
            {
                Configuration = StoreConfiguration(database.Backup),
                RetentionPolicy = database.RetentionPolicy,
                InstanceSidecarConfiguration = new InstanceSidecarConfigurationArgs { Resources = Restricted.Resources(CloudNativePg.ArchiverSidecar) },
            },
        }, child);
        // On every object CNPG makes, pods included: the tenant label, and the database's workload name the
        // namespace's NetworkPolicies select it by (Connection.PodLabels).
        var metadata = new EmbeddedMetadataArgs
        {
            Labels =
            {
                { TenantDecisions.Naming.TenantNames.TenantLabel, tenant.Slug },
                { TenantDecisions.Naming.TenantObjects.NameLabel, Workloads.Postgres },
            },
        };
        var serviceAccount = new EmbeddedMetadataArgs();
        if (database.Backup.Credentials == BackupCredentials.WorkloadIdentity)
        {
            // The workload identity webhook mounts a federated token into pods with this label whose ServiceAccount
            // names the identity: CNPG makes the ServiceAccount (named after the cluster) from this template.
            metadata.Labels.Add(AzureBackupIdentity.UseLabel, "true");
            serviceAccount.Annotations.Add(AzureBackupIdentity.ClientIdAnnotation, azureClientId
                ?? throw new InvalidOperationException("An azureBlob backup target needs the tenant's backup identity."));
        }

        var storage = new StorageArgs { Size = Quantities.Storage(database.StorageGiB) };
        if (storageClass is not null)
        {
            storage.StorageClass = storageClass;
        }

        var spec = new ClusterSpecArgs
        {
            Instances = database.Instances,
            EnablePdb = database.PodDisruptionBudgets,
            ImageName = scope.Images.DatabaseOperand.PullPath,
            Storage = storage,
            Resources = Restricted.Resources(database.Resources),
            Bootstrap = new BootstrapArgs
            {
                InitDb = new InitDbArgs { Database = database.Database, Owner = database.Owner, Secret = loginRef },
            },
            Managed = new ManagedArgs
            {
                Roles = { new RoleArgs { Name = database.Owner, PasswordSecret = loginRef } },
            },
            // Explicit, so the RPO does not move with the operator's default (RecoveryObjectives).
            Postgresql = new PostgresConfigurationArgs { Parameters = new PostgresParametersArgs { ArchiveTimeout = RecoveryObjectives.ArchiveTimeoutValue } },
            // The plugin archives the WAL and takes the base backups into this generation's folder of the store.
            Plugins =
            {
                new PluginArgs
                {
                    Name = CloudNativePg.BarmanPlugin,
                    IsWalArchiver = true,
                    Parameters = new BarmanPluginParametersArgs { BarmanObjectName = CloudNativePg.ObjectStoreName, ServerName = database.ServerName },
                },
            },
            InheritedMetadata = metadata,
            ServiceAccountTemplate = new ServiceAccountTemplateArgs { Metadata = serviceAccount },
        };
        // Deleting a Cluster deletes its volumes (they are owned by it): it is guarded like the data.
        // Pulumi waits for the Cluster's Ready condition (pulumi-kubernetes v4.32.0 provider/pkg/await/condition,
        // pulumi.com/waitFor "condition=<type>"; CNPG's type "Ready", cloudnative-pg v1.30.0 api/v1/cluster_types.go
        // ConditionClusterReady), and the app depends on the Cluster: it starts when PostgreSQL takes connections.
        var clusterMeta = scope.Meta(database.Name, Workloads.Postgres);
        clusterMeta.Annotations.Add(CloudNativePg.WaitForAnnotation, CloudNativePg.WaitForReady);
        Cluster = new Cluster("database", new ClusterArgs
        {
            Metadata = clusterMeta,
            Spec = spec,
        }, WithDependency(DataProtection.Options(this), store));

        new ScheduledBackup("base-backup", new ScheduledBackupArgs
        {
            Metadata = scope.Meta($"{database.Name}-base-backup", Workloads.Postgres),
            Spec = new ScheduledBackupSpecArgs
            {
                Schedule = database.BaseBackupSchedule,
                Cluster = new LocalObjectReferenceArgs { Name = database.Name },
                PluginConfiguration = new BackupPluginConfigurationArgs { Name = CloudNativePg.BarmanPlugin },
            },
        }, new CustomResourceOptions { Parent = this, DependsOn = { Cluster } });

        if (database.PodMonitor)
        {
            new PodMonitor("metrics", new PodMonitorArgs
            {
                Metadata = scope.Meta(database.Name, Workloads.Postgres),
                Spec = new PodMonitorSpecArgs
                {
                    Selector = new Pulumi.Kubernetes.Types.Inputs.Meta.V1.LabelSelectorArgs
                    {
                        MatchLabels = { { CloudNativePg.ClusterLabel, database.Name }, { CloudNativePg.PodRoleLabel, CloudNativePg.InstanceRole } },
                    },
                    PodMetricsEndpoints = { new PodMetricsEndpointArgs { Port = CloudNativePg.MetricsPort } },
                },
            }, new CustomResourceOptions { Parent = this, DependsOn = { Cluster } });
        }

        // The NetworkPolicies select the database's pods, both ways, by the workload name every pod of this cluster
        // carries (inheritedMetadata), and so does a point-in-time restore's recovery cluster made from its spec.
        var podLabels = new Dictionary<string, string> { [TenantDecisions.Naming.TenantObjects.NameLabel] = Workloads.Postgres };
        Connection = new DatabaseConnection(
            Host: Output.Create(CloudNativePg.ReadWriteService),
            Port: DatabaseEndpoint.PostgresPort,
            Name: database.Database,
            User: database.Owner,
            Password: appPassword,
            Peer: new NetworkPolicyPeerArgs { PodSelector = Workloads.PodSelector(Workloads.Postgres) },
            Ready: Cluster,
            // CNPG's server certificate names the read-write Service as the app reaches it (<cluster>-rw, also with the
            // namespace and .svc: cloudnative-pg v1.30.0 api/v1/cluster_funcs.go GetClusterAltDNSNames), signed by its CA.
            Ca: DatabaseTls.CloudNativePgCa(database.Name))
        {
            PodLabels = podLabels,
        };

        RegisterOutputs(new Dictionary<string, object?> { ["host"] = Connection.Host, ["instances"] = database.Instances });
    }

    public Cluster Cluster { get; }

    public DatabaseConnection Connection { get; }

    private static CustomResourceOptions WithDependency(CustomResourceOptions options, Resource dependency)
    {
        options.DependsOn.Add(dependency);
        return options;
    }

    /// <summary>The tenant's off-site store, with the credentials of the target's kind (each generation's folder is the Cluster's serverName).</summary>
    private static BarmanObjectStoreArgs StoreConfiguration(OffSiteBackup backup)
    {
        var store = new BarmanObjectStoreArgs
        {
            DestinationPath = backup.BarmanDestination,
            Wal = new CompressionArgs { Compression = "gzip" },
            Data = new CompressionArgs { Compression = "gzip" },
        };
        if (backup.Credentials == BackupCredentials.WorkloadIdentity)
        {
            // barman-cloud takes the pod's Azure identity: the sidecar runs in the instance pod, whose ServiceAccount is federated.
            store.AzureCredentials = new AzureCredentialsArgs { InheritFromAzureAD = true };
        }
        else
        {
            store.EndpointUrl = backup.BarmanEndpoint!;
            store.S3Credentials = new S3CredentialsArgs
            {
                AccessKeyId = new SecretKeySelectorArgs { Name = backup.CredentialsSecret!, Key = OffSiteBackup.AccessKeyIdKey },
                SecretAccessKey = new SecretKeySelectorArgs { Name = backup.CredentialsSecret!, Key = OffSiteBackup.SecretAccessKeyKey },
            };
        }
        return store;
    }
}
