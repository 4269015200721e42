using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Templates;

/// <summary>
/// The Danish hand-over document for a tenant's municipality (templates/handover.md.scriban): admin URL,
/// how BorgerPCs register, the bootstrap admin, backups and restores, version and upgrades. It holds no
/// secret: it says how the operator hands the admin password over instead.
/// </summary>
public static partial class HandoverDocument
{
    public static string Render(Tenant tenant) => TemplateRenderer.Render("handover.md.scriban", new
    {
        tenant.DisplayName,
        tenant.Slug,
        tenant.Host,
        tenant.AdminUrl,
        tenant.ClientAdminUrl,
        tenant.XmlRpcUrl,
        ClientSourceRanges = string.Join(", ", tenant.ClientSourceRanges),
        Version = tenant.Release.VersionText,
        MinimumVersion = AdminSiteRelease.MinimumVersion.ToString(3),
        AdminUsername = tenant.Admin.Username,
        AdminEmail = tenant.Admin.Email,
        BackupSchedule = Schedule(tenant.Backup.Schedule),
        tenant.TimeZone,
        tenant.Backup.RetentionDays,
        ManagedDatabaseRetentionDays = tenant.Azure?.DatabaseBackupRetentionDays,
    });

    /// <summary>A cron schedule in Danish: "hver nat kl. 02:00" for the usual daily one, else the expression itself.</summary>
    internal static string Schedule(string cron)
    {
        var daily = DailyCron().Match(cron.Trim());
        if (!daily.Success)
        {
            return $"efter cron-udtrykket `{cron}`";
        }
        var (hour, minute) = (int.Parse(daily.Groups["hour"].Value), int.Parse(daily.Groups["minute"].Value));
        return $"hver {(hour < 6 ? "nat" : "dag")} kl. {hour:00}:{minute:00}";
    }

    [GeneratedRegex(@"^(?<minute>[0-5]?\d) (?<hour>[01]?\d|2[0-3]) \* \* \*$")]
    private static partial Regex DailyCron();
}
