using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using CustomResourceArgs = Pulumi.Kubernetes.ApiExtensions.CustomResourceArgs;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes.CloudNativePg;

// The few fields of CloudNativePG 1.30's postgresql.cnpg.io/v1 API the kit sets (field names as in cloudnative-pg v1.30.0
// api/v1/cluster_types.go, scheduledbackup_types.go), and of the Barman Cloud plugin's barmancloud.cnpg.io/v1 ObjectStore
// (plugin-barman-cloud v0.13.0 api/v1/objectstore_types.go; its configuration is barman-cloud's BarmanObjectStoreConfiguration).

/// <summary>A CloudNativePG Cluster: PostgreSQL instances, their volumes, roles, TLS and backups.</summary>
public sealed class Cluster(string name, ClusterArgs args, CustomResourceOptions? options = null)
    : CustomResource(name, args, options);

public sealed class ClusterArgs() : CustomResourceArgs("postgresql.cnpg.io/v1", "Cluster")
{
    [Input("spec", required: true)]
    public Input<ClusterSpecArgs> Spec { get; set; } = null!;
}

/// <summary>A CloudNativePG ScheduledBackup: base backups of a cluster through the Barman Cloud plugin on a schedule.</summary>
public sealed class ScheduledBackup(string name, ScheduledBackupArgs args, CustomResourceOptions? options = null)
    : CustomResource(name, args, options);

public sealed class ScheduledBackupArgs() : CustomResourceArgs("postgresql.cnpg.io/v1", "ScheduledBackup")
{
    [Input("spec", required: true)]
    public Input<ScheduledBackupSpecArgs> Spec { get; set; } = null!;
}

public sealed class ClusterSpecArgs : ResourceArgs
{
    [Input("instances", required: true)]
    public Input<int> Instances { get; set; } = null!;

    [Input("imageName", required: true)]
    public Input<string> ImageName { get; set; } = null!;

    /// <summary>No superuser Secret: nothing of the tenant logs in as postgres.</summary>
    [Input("enableSuperuserAccess")]
    public Input<bool> EnableSuperuserAccess { get; set; } = false;

    /// <summary>Whether CNPG makes PodDisruptionBudgets for the instances (CNPG's default: true).</summary>
    [Input("enablePDB", required: true)]
    public Input<bool> EnablePdb { get; set; } = null!;

    [Input("storage", required: true)]
    public Input<StorageArgs> Storage { get; set; } = null!;

    [Input("resources")]
    public Input<ResourceRequirementsArgs>? Resources { get; set; }

    [Input("bootstrap", required: true)]
    public Input<BootstrapArgs> Bootstrap { get; set; } = null!;

    [Input("managed")]
    public Input<ManagedArgs>? Managed { get; set; }

    [Input("postgresql", required: true)]
    public Input<PostgresConfigurationArgs> Postgresql { get; set; } = null!;

    /// <summary>The CNPG-I plugins of the cluster: the Barman Cloud plugin archives its WAL and takes its base backups.</summary>
    [Input("plugins")]
    public InputList<PluginArgs> Plugins { get; set; } = [];

    [Input("inheritedMetadata")]
    public Input<EmbeddedMetadataArgs>? InheritedMetadata { get; set; }

    [Input("serviceAccountTemplate")]
    public Input<ServiceAccountTemplateArgs>? ServiceAccountTemplate { get; set; }
}

public sealed class StorageArgs : ResourceArgs
{
    [Input("size", required: true)]
    public Input<string> Size { get; set; } = null!;

    [Input("storageClass")]
    public Input<string>? StorageClass { get; set; }
}

public sealed class BootstrapArgs : ResourceArgs
{
    [Input("initdb")]
    public Input<InitDbArgs>? InitDb { get; set; }

    [Input("recovery")]
    public Input<RecoveryArgs>? Recovery { get; set; }
}

public sealed class InitDbArgs : ResourceArgs
{
    [Input("database", required: true)]
    public Input<string> Database { get; set; } = null!;

    [Input("owner", required: true)]
    public Input<string> Owner { get; set; } = null!;

    /// <summary>A kubernetes.io/basic-auth Secret with the owner's username and password.</summary>
    [Input("secret", required: true)]
    public Input<LocalObjectReferenceArgs> Secret { get; set; } = null!;
}

public sealed class RecoveryArgs : ResourceArgs
{
    /// <summary>The externalClusters entry whose plugin holds the base backup and WAL.</summary>
    [Input("source", required: true)]
    public Input<string> Source { get; set; } = null!;

    [Input("database")]
    public Input<string>? Database { get; set; }

    [Input("owner")]
    public Input<string>? Owner { get; set; }

    [Input("secret")]
    public Input<LocalObjectReferenceArgs>? Secret { get; set; }

    [Input("recoveryTarget")]
    public Input<RecoveryTargetArgs>? RecoveryTarget { get; set; }
}

public sealed class RecoveryTargetArgs : ResourceArgs
{
    /// <summary>RFC 3339 time to replay the WAL up to.</summary>
    [Input("targetTime", required: true)]
    public Input<string> TargetTime { get; set; } = null!;
}

public sealed class ManagedArgs : ResourceArgs
{
    [Input("roles")]
    public InputList<RoleArgs> Roles { get; set; } = [];
}

/// <summary>A role CNPG keeps as declared: created, altered and its password set from <see cref="PasswordSecret"/> whenever that changes.</summary>
public sealed class RoleArgs : ResourceArgs
{
    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;

    [Input("ensure")]
    public Input<string> Ensure { get; set; } = "present";

    [Input("login")]
    public Input<bool> Login { get; set; } = true;

    [Input("superuser")]
    public Input<bool> Superuser { get; set; } = false;

    [Input("createdb")]
    public Input<bool> CreateDb { get; set; } = false;

    [Input("createrole")]
    public Input<bool> CreateRole { get; set; } = false;

    [Input("replication")]
    public Input<bool> Replication { get; set; } = false;

    [Input("bypassrls")]
    public Input<bool> BypassRls { get; set; } = false;

    [Input("passwordSecret", required: true)]
    public Input<LocalObjectReferenceArgs> PasswordSecret { get; set; } = null!;
}

/// <summary>The Cluster's PostgreSQL configuration (<c>spec.postgresql</c>).</summary>
public sealed class PostgresConfigurationArgs : ResourceArgs
{
    [Input("parameters", required: true)]
    public Input<PostgresParametersArgs> Parameters { get; set; } = null!;
}

/// <summary>The postgresql.conf parameters the kit sets (<c>spec.postgresql.parameters</c>); CNPG's defaults for the rest.</summary>
public sealed class PostgresParametersArgs : ResourceArgs
{
    /// <summary>Every WAL segment holding a write is closed and archived at most this long after the previous one: the RPO.</summary>
    [Input("archive_timeout", required: true)]
    public Input<string> ArchiveTimeout { get; set; } = null!;
}

/// <summary>A plugin of a Cluster (<c>spec.plugins[]</c>).</summary>
public sealed class PluginArgs : ResourceArgs
{
    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;

    /// <summary>The plugin archives the cluster's WAL (at most one plugin may).</summary>
    [Input("isWALArchiver")]
    public Input<bool>? IsWalArchiver { get; set; }

    [Input("parameters", required: true)]
    public Input<BarmanPluginParametersArgs> Parameters { get; set; } = null!;
}

/// <summary>The Barman Cloud plugin's parameters (plugin-barman-cloud v0.13.0 web/docs/parameters.md).</summary>
public sealed class BarmanPluginParametersArgs : ResourceArgs
{
    /// <summary>The ObjectStore in the cluster's namespace.</summary>
    [Input("barmanObjectName", required: true)]
    public Input<string> BarmanObjectName { get; set; } = null!;

    /// <summary>The folder below the store's destinationPath (default: the cluster's name); the ObjectStore may not set one.</summary>
    [Input("serverName", required: true)]
    public Input<string> ServerName { get; set; } = null!;
}

/// <summary>A Barman Cloud plugin ObjectStore: where a tenant's clusters archive, with which credentials, kept how long.</summary>
public sealed class ObjectStore(string name, ObjectStoreArgs args, CustomResourceOptions? options = null)
    : CustomResource(name, args, options);

public sealed class ObjectStoreArgs() : CustomResourceArgs("barmancloud.cnpg.io/v1", "ObjectStore")
{
    [Input("spec", required: true)]
    public Input<ObjectStoreSpecArgs> Spec { get; set; } = null!;
}

public sealed class ObjectStoreSpecArgs : ResourceArgs
{
    [Input("configuration", required: true)]
    public Input<BarmanObjectStoreArgs> Configuration { get; set; } = null!;

    /// <summary>How long base backups (and the WAL they need) are kept, e.g. <c>30d</c>.</summary>
    [Input("retentionPolicy", required: true)]
    public Input<string> RetentionPolicy { get; set; } = null!;

    [Input("instanceSidecarConfiguration", required: true)]
    public Input<InstanceSidecarConfigurationArgs> InstanceSidecarConfiguration { get; set; } = null!;
}

/// <summary>The plugin's sidecar in each instance pod: its resources count in the tenant's quota.</summary>
public sealed class InstanceSidecarConfigurationArgs : ResourceArgs
{
    [Input("resources", required: true)]
    public Input<ResourceRequirementsArgs> Resources { get; set; } = null!;
}

/// <summary>barman-cloud's BarmanObjectStoreConfiguration, as an ObjectStore's configuration (never a serverName: the Cluster's plugin parameter names it).</summary>
public sealed class BarmanObjectStoreArgs : ResourceArgs
{
    [Input("destinationPath", required: true)]
    public Input<string> DestinationPath { get; set; } = null!;

    [Input("endpointURL")]
    public Input<string>? EndpointUrl { get; set; }

    [Input("s3Credentials")]
    public Input<S3CredentialsArgs>? S3Credentials { get; set; }

    [Input("azureCredentials")]
    public Input<AzureCredentialsArgs>? AzureCredentials { get; set; }

    [Input("wal")]
    public Input<CompressionArgs>? Wal { get; set; }

    [Input("data")]
    public Input<CompressionArgs>? Data { get; set; }
}

public sealed class S3CredentialsArgs : ResourceArgs
{
    [Input("accessKeyId", required: true)]
    public Input<SecretKeySelectorArgs> AccessKeyId { get; set; } = null!;

    [Input("secretAccessKey", required: true)]
    public Input<SecretKeySelectorArgs> SecretAccessKey { get; set; } = null!;

    [Input("region")]
    public Input<SecretKeySelectorArgs>? Region { get; set; }
}

/// <summary>With <see cref="InheritFromAzureAD"/> barman-cloud takes the pod's Azure identity (workload identity): no key.</summary>
public sealed class AzureCredentialsArgs : ResourceArgs
{
    [Input("inheritFromAzureAD", required: true)]
    public Input<bool> InheritFromAzureAD { get; set; } = null!;
}

public sealed class CompressionArgs : ResourceArgs
{
    [Input("compression", required: true)]
    public Input<string> Compression { get; set; } = null!;
}

public sealed class EmbeddedMetadataArgs : ResourceArgs
{
    [Input("labels")]
    public InputMap<string> Labels { get; set; } = [];

    [Input("annotations")]
    public InputMap<string> Annotations { get; set; } = [];
}

public sealed class ServiceAccountTemplateArgs : ResourceArgs
{
    [Input("metadata", required: true)]
    public Input<EmbeddedMetadataArgs> Metadata { get; set; } = null!;
}

public sealed class ScheduledBackupSpecArgs : ResourceArgs
{
    /// <summary>Cron with a leading seconds field.</summary>
    [Input("schedule", required: true)]
    public Input<string> Schedule { get; set; } = null!;

    [Input("cluster", required: true)]
    public Input<LocalObjectReferenceArgs> Cluster { get; set; } = null!;

    /// <summary>Backup objects are owned by the ScheduledBackup, so they go with it (never the data off-site).</summary>
    [Input("backupOwnerReference")]
    public Input<string> BackupOwnerReference { get; set; } = "self";

    [Input("method")]
    public Input<string> Method { get; set; } = "plugin";

    [Input("pluginConfiguration", required: true)]
    public Input<BackupPluginConfigurationArgs> PluginConfiguration { get; set; } = null!;

    /// <summary>A first base backup at once, so WAL archived from now on is recoverable.</summary>
    [Input("immediate")]
    public Input<bool> Immediate { get; set; } = true;
}

/// <summary>The plugin a ScheduledBackup's backups go through.</summary>
public sealed class BackupPluginConfigurationArgs : ResourceArgs
{
    [Input("name", required: true)]
    public Input<string> Name { get; set; } = null!;
}
