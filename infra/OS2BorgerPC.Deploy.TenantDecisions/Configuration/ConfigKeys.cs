namespace OS2BorgerPC.Deploy.TenantDecisions.Configuration;

/// <summary>The kit's config keys. All live in the project's namespace, <c>os2borgerpc:</c>.</summary>
public static class ConfigKeys
{
    public const string Namespace = "os2borgerpc";

    /// <summary>The structured tenant object in each stack file.</summary>
    public const string TenantKey = "tenant";

    /// <summary>The SMTP relay password: a <c>secure:</c> value, never plain text.</summary>
    public const string EmailPassword = "emailPassword";

    /// <summary>
    /// The tenant's own key to the platform's S3 backup store (both <c>secure:</c> values, never plain text): issued by
    /// whoever runs the store and scoped to the tenant's prefix <c>tenants/&lt;slug&gt;/</c>, so no tenant can read another's backups.
    /// Required on a platform whose backup target is S3; the program puts them into the tenant's credentials Secret.
    /// </summary>
    public const string BackupS3AccessKeyId = "backupS3AccessKeyId";

    public const string BackupS3SecretAccessKey = "backupS3SecretAccessKey";

    /// <summary>The stack's secret keys: read with GetSecret only, refused in plain text.</summary>
    public static readonly IReadOnlyList<string> Secrets = [EmailPassword, BackupS3AccessKeyId, BackupS3SecretAccessKey];

    /// <summary>Fleet-wide defaults, declared once in Pulumi.yaml; a stack overrides what it must.</summary>
    public static class FleetDefaults
    {
        public const string FleetId = "fleetId";
        public const string BaseDomain = "baseDomain";
        public const string AdminSiteVersion = "adminSiteVersion";
        public const string AdminEmail = "adminEmail";
        public const string CoreScriptsTag = "coreScriptsTag";
        public const string CoreScriptsCommit = "coreScriptsCommit";
        public const string AzureLocation = "azureLocation";
        public const string BackupSchedule = "backupSchedule";
        public const string BackupRetentionDays = "backupRetentionDays";
        public const string TimeZone = "timeZone";
        public const string Language = "language";
        public const string PlatformStack = "platformStack";

        /// <summary>Hours after which <c>fleet status</c> calls a tenant's last successful backup too old.</summary>
        public const string StatusBackupMaxAgeHours = "statusBackupMaxAgeHours";

        /// <summary>Days of certificate validity below which <c>fleet status</c> calls a tenant's certificate expiring.</summary>
        public const string StatusCertificateMinDays = "statusCertificateMinDays";

        /// <summary>
        /// Of a rollout ring's tenants, the percentage (0-100) whose <c>up</c> may fail before the rollout stops: no
        /// further tenant starts and no later ring runs (<c>fleet up</c> and deploy.yml).
        /// </summary>
        public const string RolloutMaxFailuresPercent = "rolloutMaxFailuresPercent";

        public static readonly IReadOnlyList<string> All =
        [
            FleetId, BaseDomain, AdminSiteVersion, AdminEmail, CoreScriptsTag, CoreScriptsCommit,
            AzureLocation, BackupSchedule, BackupRetentionDays, TimeZone, Language, PlatformStack,
            StatusBackupMaxAgeHours, StatusCertificateMinDays, RolloutMaxFailuresPercent,
        ];
    }

    /// <summary>Every key the kit reads, without namespace.</summary>
    public static readonly IReadOnlyList<string> All = [TenantKey, .. Secrets, .. FleetDefaults.All];

    public static string Qualified(string key) => $"{Namespace}:{key}";

    /// <summary>The tenant whose backups a drill restores into this one (<c>BackupPolicy.DrillFrom</c>), as problems name it.</summary>
    public static readonly string BackupDrillFrom = Qualified($"{TenantKey}.backup.drillFrom");
}
