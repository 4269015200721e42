using System.Globalization;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.TenantDecisions.Import;

/// <summary>
/// One import into one tenant, decided before anything runs: the names of the objects it creates, where
/// the uploaded files and the log go on the staging volume, and the settings templates/import.sh gets.
/// </summary>
/// <param name="Stamp">When the import started (<see cref="StampOf"/>): names every object and file of this import.</param>
/// <param name="Replace">Replace a database that is not empty (after a fresh backup), and the contents of /media.</param>
/// <param name="InputBytes">The dump's and the media archive's sizes together: what the staging volume must hold.</param>
public sealed record ImportPlan(Tenant Tenant, string Stamp, DumpFormat DumpFormat, MediaArchive Media, bool Replace, long InputBytes = 0)
{
    public const string StagingPath = "/staging";
    public const string MediaPath = "/media";
    public const string ScriptPath = "/scripts";
    public const string ScriptFile = "import.sh";

    /// <summary>The tables whose row counts the import reports: what an operator recognises as "the data arrived".</summary>
    public static readonly IReadOnlyList<string> ReportTables =
    [
        "auth_user", "auth_group", "system_customer", "system_site", "system_pcgroup", "system_pc",
        "system_script", "system_batch", "system_job", "system_securityevent", "django_migrations",
    ];

    /// <summary>A stamp that is valid in Kubernetes names and file names: <c>20250305-020000</c> (UTC).</summary>
    public static string StampOf(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    /// <summary>The uploads' folder on the staging volume; the import removes it when it ends.</summary>
    public string StagingDir => $"{StagingPath}/import-{Stamp}";

    public string DumpPath => $"{StagingDir}/{(DumpFormat == DumpFormat.Custom ? "database.dump" : "database.sql")}";

    public string MediaArchivePath => $"{StagingDir}/media.tar.gz";

    /// <summary>The import's log on the staging volume (it goes with a staging claim; the Job's log keeps it for <see cref="JobLimits.KeepFinishedSeconds"/>).</summary>
    public string LogPath => $"{StagingPath}/import-{Stamp}.log";

    /// <summary>
    /// Where the uploads are staged: on kubernetes, a claim of the import's own (<see cref="StagingClaim"/>, made and
    /// removed by the CLI); on azure, the tenant's backup file share (billed by what it holds).
    /// </summary>
    public DataVolume StagingVolume => Tenant.Hosting == Hosting.Kubernetes ? new DataVolume.Claim(StagingClaimName) : TenantStorage.Backups(Tenant);

    /// <summary>The import's own staging claim (kubernetes hosting).</summary>
    public string StagingClaimName => $"import-staging-{Stamp}";

    /// <summary>The staging claim in <paramref name="storageClass"/> (the tenant's data class), sized from <see cref="InputBytes"/>.</summary>
    public StagingClaim StagingClaim(string storageClass) => new(StagingClaimName, Model.StagingClaim.SizeGiBFor(InputBytes), storageClass);

    public string JobName => $"import-{Stamp}";

    public string UploadPodName => $"import-upload-{Stamp}";

    public string ScriptConfigMapName => $"import-script-{Stamp}";

    /// <summary>The one-off run of the tenant's backup CronJob before a <see cref="Replace"/>.</summary>
    public string BackupJobName => $"backup-before-import-{Stamp}";

    public DatabaseEndpoint Database => DatabaseEndpoint.For(Tenant);

    /// <summary>The libpq connection templates/import.sh uses (the password comes from the tenant's Secret), verifying the server (<see cref="DatabaseTls"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Connection =>
    [
        new("PGHOST", Database.Host),
        new("PGPORT", Database.Port.ToString(CultureInfo.InvariantCulture)),
        new("PGDATABASE", Database.Name),
        new("PGUSER", Database.User),
        .. DatabaseTls.Environment(),
    ];

    /// <summary>Where templates/import.sh finds the uploads, the log and /media on the volumes, and what it does.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings =>
        ScriptSettings(StagingDir, DumpPath, MediaArchivePath, Media.StripComponents, Replace, LogPath, MediaPath);

    /// <summary>The import's own settings; tests pass local paths, the Job the volume paths.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ScriptSettings(
        string stagingDir, string dump, string mediaArchive, int stripComponents, bool replace, string log, string mediaDir) =>
    [
        new("IMPORT_STAGING_DIR", stagingDir),
        new("IMPORT_DUMP", dump),
        new("IMPORT_MEDIA_ARCHIVE", mediaArchive),
        new("IMPORT_MEDIA_STRIP_COMPONENTS", stripComponents.ToString(CultureInfo.InvariantCulture)),
        new("IMPORT_REPLACE", replace ? "yes" : "no"),
        new("IMPORT_LOG", log),
        new("IMPORT_REPORT_TABLES", string.Join(' ', ReportTables)),
        new("MEDIA_DIR", mediaDir),
    ];
}
