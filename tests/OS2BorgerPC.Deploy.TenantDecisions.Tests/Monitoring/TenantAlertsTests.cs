using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Monitoring;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Monitoring;

/// <summary>A tenant's alert rules: only where the platform has Prometheus, by fleet status's thresholds.</summary>
public sealed class TenantAlertsTests
{
    private static readonly PlatformFacts Monitored = RecordedPlatform.Cluster with
    {
        Metrics = new OperatorPods("monitoring", ImmutableDictionary<string, string>.Empty.Add("app.kubernetes.io/name", "prometheus")),
    };

    [Fact]
    public void A_platform_without_prometheus_gets_no_rules()
    {
        TenantAlerts.For(RepositoryRoot.Tenant("faelles-it"), RecordedPlatform.Cluster).ShouldBeNull();
    }

    [Fact]
    public void A_cloudnative_pg_tenant_is_alerted_on_archiving_backups_certificates_and_pods_in_its_own_namespace()
    {
        var alerts = TenantAlerts.For(RepositoryRoot.Tenant("faelles-it"), Monitored).ShouldNotBeNull();

        alerts.Rules.Select(r => r.Name).ShouldBe(["OS2BorgerPCWalArchivingFailing", "OS2BorgerPCBackupTooOld", "OS2BorgerPCCertificateExpiring", "OS2BorgerPCPodsNotReady"]);
        alerts.Rules.ShouldAllBe(r => r.Expression.Contains("namespace=\"os2borgerpc-faelles-it\""));
        // cloudnative-pg v1.30.0 config/manager/default-monitoring.yaml: pg_stat_archiver's last_failed_time, last_archived_time, seconds_since_last_archival.
        alerts.Rules[0].Expression.ShouldBe(
            "cnpg_pg_stat_archiver_last_failed_time{namespace=\"os2borgerpc-faelles-it\"} > cnpg_pg_stat_archiver_last_archived_time{namespace=\"os2borgerpc-faelles-it\"}"
            + " or cnpg_pg_stat_archiver_seconds_since_last_archival{namespace=\"os2borgerpc-faelles-it\"} > 1800");
        // plugin-barman-cloud v0.13.0 web/docs/observability.md: the plugin's last available backup, beside the nightly CronJob's.
        alerts.Rules[1].Expression.ShouldBe(
            "time() - kube_cronjob_status_last_successful_time{namespace=\"os2borgerpc-faelles-it\", cronjob=\"backup\"} > 93600"
            + " or time() - barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{namespace=\"os2borgerpc-faelles-it\"} > 93600");
        alerts.Rules[2].Expression.ShouldBe("certmanager_certificate_expiration_timestamp_seconds{namespace=\"os2borgerpc-faelles-it\"} - time() < 1209600");
    }

    [Fact]
    public void The_thresholds_are_fleet_status_thresholds()
    {
        var tenant = RepositoryRoot.Tenant("faelles-it") with { Status = new StatusThresholds(BackupMaxAgeHours: 48, CertificateMinDays: 21) };

        var rules = TenantAlerts.For(tenant, Monitored)!.Rules;

        rules.Single(r => r.Name == "OS2BorgerPCBackupTooOld").Expression.ShouldContain("> 172800");
        rules.Single(r => r.Name == "OS2BorgerPCCertificateExpiring").Expression.ShouldEndWith("< 1814400");
    }

    [Fact]
    public void An_azure_database_has_no_archiving_rule_and_only_the_nightly_backup()
    {
        var rules = TenantAlerts.For(RepositoryRoot.Tenant("aarhus"), Monitored)!.Rules;

        rules.Select(r => r.Name).ShouldNotContain("OS2BorgerPCWalArchivingFailing");
        rules.Single(r => r.Name == "OS2BorgerPCBackupTooOld").Expression.ShouldNotContain("barman_cloud");
    }

    [Fact]
    public void Pods_of_finished_jobs_are_not_counted_as_not_ready() =>
        TenantAlerts.For(RepositoryRoot.Tenant("faelles-it"), Monitored)!.Rules.Single(r => r.Name == "OS2BorgerPCPodsNotReady").Expression
            .ShouldContain("kube_pod_status_phase{namespace=\"os2borgerpc-faelles-it\", phase=~\"Pending|Running|Unknown\"} == 1");
}
