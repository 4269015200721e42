using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>Observations of a healthy tenant, of one with every kind of problem, and of a fleet of many.</summary>
public static class FleetStatusSamples
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
    public const string Main = "6a96d19567bf5c002c76d16cf80f6c894c2af499";
    public const string OldCommit = "0123456789abcdef0123456789abcdef01234567";

    public static TenantObservation Healthy(string tenant = "aarhus", double backupHoursAgo = 4) => new(
        tenant, $"https://{tenant}.borgerpc.dk", "7.1.0",
        Observed<string>.Known("7.1.0"),
        Observed<string>.Known(Main),
        Observed<DateTimeOffset>.Known(Now.AddHours(-backupHoursAgo)),
        Observed<DateTimeOffset>.Known(Now.AddDays(60)),
        Observed<PodReadiness>.Known(new PodReadiness(2, 2)),
        Observed<DriftResult>.Known(new DriftResult(DriftVerdict.Clean, Now.AddHours(-1), null)))
    {
        Ring = RolloutRing.Broad,
        Drill = Observed<DrillResult>.Known(new DrillResult(tenant, Now.AddDays(-10), 840, DrillVerdict.Passed)),
    };

    /// <summary>Every check fails: other version, old commit, old backup, expiring certificate, a pod not ready, drift, WAL archiving, a failed restore drill.</summary>
    public static TenantObservation Troubled(string tenant = "odense") => Healthy(tenant) with
    {
        DeployedVersion = Observed<string>.Known("7.0.9"),
        DeployedCommit = Observed<string>.Known(OldCommit),
        LastBackup = Observed<DateTimeOffset>.Known(Now.AddHours(-30)),
        CertificateNotAfter = Observed<DateTimeOffset>.Known(Now.AddDays(5)),
        Pods = Observed<PodReadiness>.Known(new PodReadiness(1, 2)),
        Drift = Observed<DriftResult>.Known(new DriftResult(DriftVerdict.Drifted, Now.AddHours(-1), "2 resources changed")),
        Archiving = Observed<WalArchiving>.Known(new WalArchiving(false, "odense-db", "ContinuousArchivingFailing", "unexpected failure invoking barman-cloud-wal-archive: exit status 4", Now.AddHours(-3))),
        Drill = Observed<DrillResult>.Known(new DrillResult(tenant, Now.AddDays(-3), 1500, DrillVerdict.Failed, "the login page answered 502")),
    };

    /// <summary>A tenant whose stack does not exist yet and whose namespace the cluster does not have.</summary>
    public static TenantObservation NotDeployed(string tenant = "vejle") => Healthy(tenant) with
    {
        DeployedVersion = Observed<string>.Unknown("no Deployment admin-site in os2borgerpc-vejle"),
        DeployedCommit = Observed<string>.Unknown("no stack 'vejle' in the Pulumi backend"),
        LastBackup = Observed<DateTimeOffset>.Unknown("no backup Job has succeeded"),
        CertificateNotAfter = Observed<DateTimeOffset>.Unknown("no Certificate in os2borgerpc-vejle"),
        Pods = Observed<PodReadiness>.Unknown("cluster unreachable"),
        Drift = Observed<DriftResult>.Unknown("no drift result"),
        Drill = Observed<DrillResult>.Unknown("not drilled yet"),
    };

    public static FleetStatusReport Report(params TenantObservation[] tenants) =>
        FleetStatusAssessment.Report(tenants, StatusThresholds.Default, Main, Now);

    /// <summary>The tenants of <see cref="LargeFleet"/> that need attention, and the kinds of problem each has.</summary>
    public static readonly IReadOnlyDictionary<string, StatusCheck[]> LargeFleetProblems = new Dictionary<string, StatusCheck[]>
    {
        ["kommune-07"] = [StatusCheck.Backup],
        ["kommune-31"] = [StatusCheck.Backup],
        ["kommune-52"] = [StatusCheck.Certificate],
        ["kommune-64"] = [StatusCheck.Version, StatusCheck.Commit],
        ["kommune-88"] = [StatusCheck.Pods],
    };

    /// <summary>
    /// A fleet of <paramref name="tenants"/> (kommune-01, kommune-02, ...): those of <see cref="LargeFleetProblems"/> have
    /// those problems (kommune-31's reason carries markup the page must escape), the rest are healthy with
    /// backups of 1 to 24 hours.
    /// </summary>
    public static FleetStatusReport LargeFleet(int tenants = 98) => Report([.. Enumerable.Range(1, tenants).Select(i =>
    {
        var tenant = Healthy($"kommune-{i:00}", backupHoursAgo: 1 + (i * 7 % 24));
        return tenant.Tenant switch
        {
            "kommune-07" => tenant with { LastBackup = Observed<DateTimeOffset>.Known(Now.AddHours(-40)) },
            "kommune-31" => tenant with { LastBackup = Observed<DateTimeOffset>.Unknown("no backup Job has <b>succeeded</b>") },
            "kommune-52" => tenant with { CertificateNotAfter = Observed<DateTimeOffset>.Known(Now.AddDays(5)) },
            "kommune-64" => tenant with { DeployedVersion = Observed<string>.Known("7.0.9"), DeployedCommit = Observed<string>.Known(OldCommit) },
            "kommune-88" => tenant with { Pods = Observed<PodReadiness>.Known(new PodReadiness(1, 2)) },
            _ => tenant,
        };
    })]);
}
