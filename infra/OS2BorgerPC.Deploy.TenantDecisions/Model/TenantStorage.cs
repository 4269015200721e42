namespace OS2BorgerPC.Deploy.TenantDecisions.Model;

/// <summary>Where a tenant's data volume lives, as pods mount it.</summary>
public abstract record DataVolume
{
    private DataVolume() { }

    /// <summary>A PersistentVolumeClaim in the tenant namespace (hosting kubernetes).</summary>
    public sealed record Claim(string ClaimName) : DataVolume;

    /// <summary>
    /// An Azure Files share mounted inline by the CSI driver with the storage account's key from
    /// <see cref="TenantStorage.AzureFilesSecret"/> (hosting azure).
    /// </summary>
    public sealed record AzureFiles(string ShareName) : DataVolume
    {
        public IReadOnlyDictionary<string, string> Attributes => new Dictionary<string, string>
        {
            ["secretName"] = TenantStorage.AzureFilesSecret,
            ["shareName"] = ShareName,
            ["mountOptions"] = TenantStorage.AzureFilesMountOptions,
        };
    }
}

/// <summary>The tenant's two data volumes, /media and backups, by hosting: one decision for the program and the CLI.</summary>
public static class TenantStorage
{
    public const string MediaClaim = "media";
    public const string BackupClaim = "backups";

    public const string AzureFilesCsiDriver = "file.csi.azure.com";

    /// <summary>The Secret in the tenant namespace with the storage account's name and key (the CSI driver's key names).</summary>
    public const string AzureFilesSecret = "azure-files";

    /// <summary>
    /// SMB has no POSIX owners: the mount makes every file the app's (uid/gid 1000), group-writable, so the
    /// backup and import jobs read and write through that group.
    /// </summary>
    public static readonly string AzureFilesMountOptions =
        $"dir_mode=0770,file_mode=0660,uid={AdminSitePorts.AppUid},gid={AdminSitePorts.AppUid},mfsymlinks,cache=strict,nosharesock";

    public static DataVolume Media(Tenant tenant) => tenant.Hosting switch
    {
        Hosting.Azure => new DataVolume.AzureFiles(tenant.Names.MediaShare),
        _ => new DataVolume.Claim(MediaClaim),
    };

    public static DataVolume Backups(Tenant tenant) => tenant.Hosting switch
    {
        Hosting.Azure => new DataVolume.AzureFiles(tenant.Names.BackupShare),
        _ => new DataVolume.Claim(BackupClaim),
    };
}

/// <summary>Where the admin site and the data jobs reach the tenant's database.</summary>
public sealed record DatabaseEndpoint(string Host, int Port, string Name, string User)
{
    public const int PostgresPort = 5432;

    /// <summary>
    /// The CloudNativePG cluster's read-write Service, or the managed server's name in Azure's flexible-server domain (the program
    /// takes the same name from the server it creates).
    /// </summary>
    public static DatabaseEndpoint For(Tenant tenant) => new(
        tenant.Hosting == Hosting.Azure ? $"{tenant.Names.PostgresServer}.postgres.database.azure.com" : Backup.CloudNativePg.ReadWriteService,
        PostgresPort,
        tenant.Names.DatabaseName,
        Security.DatabaseRoles.AppLogin(tenant));
}
