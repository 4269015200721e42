namespace OS2BorgerPC.Deploy.TenantDecisions.Model;

/// <summary>How big a tenant is; each tier maps to one <see cref="SizeProfile"/>.</summary>
public enum SizeTier
{
    Small,
    Medium,
    Large,
}

/// <summary>CPU in millicores and memory in MiB, so budgets can be added up exactly.</summary>
public sealed record ComputeBudget(int CpuRequestMilli, int CpuLimitMilli, int MemoryRequestMiB, int MemoryLimitMiB)
{
    public string CpuRequest => Quantities.Cpu(CpuRequestMilli);
    public string CpuLimit => Quantities.Cpu(CpuLimitMilli);
    public string MemoryRequest => Quantities.Memory(MemoryRequestMiB);
    public string MemoryLimit => Quantities.Memory(MemoryLimitMiB);

    public static readonly ComputeBudget None = new(0, 0, 0, 0);

    public static ComputeBudget operator +(ComputeBudget a, ComputeBudget b) => new(
        a.CpuRequestMilli + b.CpuRequestMilli,
        a.CpuLimitMilli + b.CpuLimitMilli,
        a.MemoryRequestMiB + b.MemoryRequestMiB,
        a.MemoryLimitMiB + b.MemoryLimitMiB);

    public static ComputeBudget operator *(int count, ComputeBudget b) => new(
        count * b.CpuRequestMilli, count * b.CpuLimitMilli, count * b.MemoryRequestMiB, count * b.MemoryLimitMiB);
}

/// <summary>Kubernetes quantity strings.</summary>
public static class Quantities
{
    public static string Cpu(int milli) => milli % 1000 == 0 ? (milli / 1000).ToString() : $"{milli}m";
    public static string Memory(int mib) => mib % 1024 == 0 ? $"{mib / 1024}Gi" : $"{mib}Mi";
    public static string Storage(int gib) => $"{gib}Gi";
}

/// <summary>Azure PostgreSQL flexible server sizing.</summary>
public sealed record AzureDatabaseSize(string SkuName, int StorageMb, bool HighAvailability);

/// <summary>
/// Everything a size tier decides. <see cref="DatabaseInstances"/>: PostgreSQL instances of a kubernetes tenant's
/// CloudNativePG cluster (one primary, the rest streaming replicas CNPG fails over to).
/// </summary>
public sealed record SizeProfile(
    SizeTier Tier,
    ComputeBudget AdminSite,
    int GunicornWorkers,
    ComputeBudget MediaServer,
    ComputeBudget Database,
    int DatabaseInstances,
    ComputeBudget Job,
    int DatabaseStorageGiB,
    int MediaStorageGiB,
    int BackupStorageGiB,
    AzureDatabaseSize AzureDatabase)
{
    /// <summary>One admin-site pod: the app and the media server next to it.</summary>
    public ComputeBudget AdminSitePod => AdminSite + MediaServer;

    public static SizeProfile For(SizeTier tier) => tier switch
    {
        SizeTier.Small => new(tier,
            AdminSite: new(250, 1000, 768, 1536), GunicornWorkers: 3,
            MediaServer: new(50, 250, 64, 128),
            Database: new(250, 1000, 512, 1024), DatabaseInstances: 1,
            Job: new(100, 500, 256, 512),
            DatabaseStorageGiB: 10, MediaStorageGiB: 10, BackupStorageGiB: 30,
            AzureDatabase: new("B_Standard_B1ms", 32768, HighAvailability: false)),
        SizeTier.Medium => new(tier,
            AdminSite: new(500, 2000, 1536, 3072), GunicornWorkers: 5,
            MediaServer: new(100, 500, 64, 256),
            Database: new(500, 2000, 1024, 2048), DatabaseInstances: 2,
            Job: new(100, 1000, 256, 1024),
            DatabaseStorageGiB: 20, MediaStorageGiB: 25, BackupStorageGiB: 75,
            AzureDatabase: new("GP_Standard_D2ds_v5", 65536, HighAvailability: false)),
        SizeTier.Large => new(tier,
            AdminSite: new(1000, 4000, 3072, 6144), GunicornWorkers: 9,
            MediaServer: new(100, 1000, 128, 256),
            Database: new(1000, 4000, 2048, 4096), DatabaseInstances: 3,
            Job: new(250, 1000, 512, 1024),
            DatabaseStorageGiB: 50, MediaStorageGiB: 50, BackupStorageGiB: 150,
            AzureDatabase: new("GP_Standard_D4ds_v5", 131072, HighAvailability: true)),
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "unknown size tier"),
    };
}
