namespace OS2BorgerPC.Deploy.Tenants.Configuration;

/// <summary>The kit's config keys. All live in the project's namespace, <c>os2borgerpc:</c>.</summary>
public static class ConfigKeys
{
    public const string Namespace = "os2borgerpc";

    /// <summary>The structured tenant object in each stack file.</summary>
    public const string TenantKey = "tenant";

    /// <summary>The SMTP relay password: a <c>secure:</c> value, never plain text.</summary>
    public const string EmailPassword = "emailPassword";

    /// <summary>Fleet-wide defaults, declared once in Pulumi.yaml; a stack overrides what it must.</summary>
    public static class FleetDefaults
    {
        public const string FleetId = "fleetId";
        public const string BaseDomain = "baseDomain";
        public const string AdminSiteVersion = "adminSiteVersion";
        public const string AdminEmail = "adminEmail";
        public const string CoreScriptsTag = "coreScriptsTag";
        public const string CoreScriptsCommit = "coreScriptsCommit";
        public const string IngressClass = "ingressClass";
        public const string CertificateIssuer = "certificateIssuer";
        public const string AzureLocation = "azureLocation";
        public const string BackupSchedule = "backupSchedule";
        public const string BackupRetentionDays = "backupRetentionDays";
        public const string TimeZone = "timeZone";
        public const string Language = "language";
        public const string PlatformStack = "platformStack";

        public static readonly IReadOnlyList<string> All =
        [
            FleetId, BaseDomain, AdminSiteVersion, AdminEmail, CoreScriptsTag, CoreScriptsCommit, IngressClass,
            CertificateIssuer, AzureLocation, BackupSchedule, BackupRetentionDays, TimeZone, Language, PlatformStack,
        ];
    }

    /// <summary>Every key the kit reads, without namespace.</summary>
    public static readonly IReadOnlyList<string> All = [TenantKey, EmailPassword, .. FleetDefaults.All];

    public static string Qualified(string key) => $"{Namespace}:{key}";
}
