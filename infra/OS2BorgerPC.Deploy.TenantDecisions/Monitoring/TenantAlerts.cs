using System.Globalization;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;

namespace OS2BorgerPC.Deploy.TenantDecisions.Monitoring;

/// <summary>One Prometheus alerting rule: fires when <see cref="Expression"/> has held for <see cref="For"/>.</summary>
public sealed record AlertRule(string Name, string Expression, string For, string Severity, string Summary);

/// <summary>
/// A tenant's alert rules, as one <c>monitoring.coreos.com/v1</c> PrometheusRule in its namespace, only where the
/// platform has Prometheus (<see cref="PlatformFacts.Metrics"/>, the same condition as the database's PodMonitor):
/// elsewhere the CRD may be missing and nothing would evaluate them (there, the scheduled <c>fleet status</c> run and
/// its GitHub issue are the alert). The rules say what <c>fleet status</c> says, by the same thresholds
/// (<see cref="Fleet.StatusThresholds"/>), between its runs:
/// <list type="bullet">
/// <item>WAL archiving failing (CloudNativePG only): the exporter's <c>pg_stat_archiver</c> metrics (cloudnative-pg
/// v1.30.0 config/manager/default-monitoring.yaml), a last failure newer than the last success (as CNPG's sample
/// LastFailedArchiveTime rule, docs/src/samples/monitoring/prometheusrule.yaml), or no WAL archived for
/// <see cref="ArchiveSilenceMinutes"/> minutes although <c>archive_timeout</c> (CNPG's default 5 min) switches WAL
/// at least that often. When the object store is down WAL piles up on the database volume until PostgreSQL stops:
/// this fires hours before the backup age does.</item>
/// <item>Last backup older than the threshold: the nightly CronJob's last success (kube-state-metrics'
/// <c>kube_cronjob_status_last_successful_time</c>), and for CloudNativePG the Barman Cloud plugin's
/// <c>barman_cloud_cloudnative_pg_io_last_available_backup_timestamp</c> (plugin-barman-cloud v0.13.0
/// web/docs/observability.md; CNPG's own cnpg_collector_last_available_backup_timestamp is deprecated and stays 0
/// under a plugin, cloudnative-pg v1.30.0 docs/src/monitoring.md).</item>
/// <item>Certificate expiry: cert-manager's <c>certmanager_certificate_expiration_timestamp_seconds{name, namespace}</c>
/// (cert-manager pkg/metrics).</item>
/// <item>Pods not ready: kube-state-metrics' <c>kube_pod_status_ready</c> of pods Pending, Running or Unknown (a Job's
/// finished pod is not one that should be ready, as in <c>fleet status</c>).</item>
/// </list>
/// Dependencies: the rules need Prometheus to scrape kube-state-metrics and cert-manager (kube-prometheus-stack does)
/// and to select PrometheusRules in tenant namespaces (its ruleSelector and ruleNamespaceSelector).
/// </summary>
public sealed record TenantAlerts(string Name, IReadOnlyList<AlertRule> Rules)
{
    /// <summary>The PrometheusRule's name in the tenant's namespace.</summary>
    public const string RuleName = "os2borgerpc-alerts";

    /// <summary>Minutes without an archived WAL segment on the primary before archiving counts as stuck (6 × archive_timeout).</summary>
    public const int ArchiveSilenceMinutes = 30;

    public static TenantAlerts? For(Tenant tenant, PlatformFacts platform)
    {
        if (platform.Metrics is null)
        {
            return null;
        }
        var ns = $"namespace=\"{tenant.Names.Namespace}\"";
        var maxAge = Seconds(tenant.Status.BackupMaxAgeHours * 3600);
        var cnpg = tenant.Hosting == Hosting.Kubernetes;
        var backupAge = $"time() - kube_cronjob_status_last_successful_time{{{ns}, cronjob=\"{TenantObjects.Backup}\"}} > {maxAge}";
        List<AlertRule> rules = [];
        if (cnpg)
        {
            rules.Add(new("OS2BorgerPCWalArchivingFailing",
                $"cnpg_pg_stat_archiver_last_failed_time{{{ns}}} > cnpg_pg_stat_archiver_last_archived_time{{{ns}}}"
                + $" or cnpg_pg_stat_archiver_seconds_since_last_archival{{{ns}}} > {Seconds(ArchiveSilenceMinutes * 60)}",
                "10m", "critical",
                $"{tenant.Slug}: WAL archiving is failing; WAL piles up on the database volume until PostgreSQL stops. Is the object store reachable? (fleet status shows the ContinuousArchiving condition's message)"));
            backupAge += $" or time() - barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{{{ns}}} > {maxAge}";
        }
        rules.Add(new("OS2BorgerPCBackupTooOld", backupAge, "15m", "warning",
            $"{tenant.Slug}: the last successful backup is older than {tenant.Status.BackupMaxAgeHours} h"));
        rules.Add(new("OS2BorgerPCCertificateExpiring",
            $"certmanager_certificate_expiration_timestamp_seconds{{{ns}}} - time() < {Seconds(tenant.Status.CertificateMinDays * 86400)}",
            "1h", "warning",
            $"{tenant.Slug}: certificate {{{{ $labels.name }}}} expires in less than {tenant.Status.CertificateMinDays} days: is cert-manager renewing it?"));
        rules.Add(new("OS2BorgerPCPodsNotReady",
            $"(kube_pod_status_ready{{{ns}, condition=\"false\"}} == 1) and on (namespace, pod) (kube_pod_status_phase{{{ns}, phase=~\"Pending|Running|Unknown\"}} == 1)",
            "15m", "warning",
            $"{tenant.Slug}: pod {{{{ $labels.pod }}}} has not been ready for 15 minutes"));
        return new TenantAlerts(RuleName, rules);
    }

    private static string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}
