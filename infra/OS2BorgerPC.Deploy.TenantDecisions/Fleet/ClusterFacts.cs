using k8s.Models;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>What <c>fleet status</c> shows of a tenant's namespace: each fact known, or why not.</summary>
public sealed record NamespaceFacts(
    Observed<string> DeployedVersion,
    Observed<DateTimeOffset> LastBackup,
    Observed<DateTimeOffset> CertificateNotAfter,
    Observed<PodReadiness> Pods)
{
    /// <summary>CloudNativePG's WAL archiving, where the namespace has a CloudNativePG Cluster (null elsewhere).</summary>
    public Observed<WalArchiving>? Archiving { get; init; }

    /// <summary>Every fact unknown for the one reason (no cluster, or one that did not answer).</summary>
    public static NamespaceFacts Unknown(string why) =>
        new(Observed<string>.Unknown(why), Observed<DateTimeOffset>.Unknown(why), Observed<DateTimeOffset>.Unknown(why), Observed<PodReadiness>.Unknown(why));
}

/// <summary>
/// Picks a tenant's facts from its cluster's lists (<see cref="ClusterInventory"/>): the running admin-site
/// version, the pods' readiness, the last successful backups, the certificate's expiry.
/// </summary>
public static class ClusterFacts
{
    /// <summary>The facts of namespace <paramref name="ns"/>; the backups are the oldest of each kind's newest.</summary>
    public static NamespaceFacts Of(ClusterInventory cluster, string ns, IReadOnlyList<IBackupKind> backups)
    {
        if (!cluster.Deployments.IsKnown)
        {
            // The cluster did not answer: every other list waited for it too.
            return NamespaceFacts.Unknown(cluster.Deployments.Why!);
        }
        var deployment = cluster.Deployments.Value[ns].FirstOrDefault(d => d.Metadata?.Name == TenantObjects.AdminSite);
        return new NamespaceFacts(
            deployment is null ? Observed<string>.Unknown($"no Deployment {TenantObjects.AdminSite} in {ns}") : RunningVersion(deployment),
            LastBackup(cluster, ns, backups),
            Pick(cluster.Certificates, certificates => CertificateNotAfter(certificates[ns]) is { } notAfter
                ? Observed<DateTimeOffset>.Known(notAfter)
                : Observed<DateTimeOffset>.Unknown($"no issued Certificate in {ns}")),
            Pick(cluster.Pods, pods => Observed<PodReadiness>.Known(Pods(pods[ns]))))
        {
            Archiving = ContinuousArchiving(cluster, ns),
        };
    }

    /// <summary>
    /// The <c>ContinuousArchiving</c> condition of the namespace's CloudNativePG Clusters: a failing one first, or
    /// null where the namespace has none (or CloudNativePG is not installed). CloudNativePG's instance manager sets it
    /// after every <c>archive_command</c> run, the Barman Cloud plugin's included (cloudnative-pg v1.30.0
    /// internal/cmd/manager/walarchive/cmd.go: <c>archiver.Run</c>, which archives through the plugins, then
    /// <c>SetWALArchiveStatusCondition</c>; pkg/management/postgres/webserver/local.go).
    /// </summary>
    public static Observed<WalArchiving>? ContinuousArchiving(ClusterInventory cluster, string ns)
    {
        if (!cluster.CnpgClusters.IsKnown || !cluster.CnpgClusters.Value[ns].Any())
        {
            return null;
        }
        var states = cluster.CnpgClusters.Value[ns]
            .Select(c => (Name: c.Metadata?.Name, Condition: c.Status?.Conditions?.FirstOrDefault(x => x.Type == WalArchiving.ConditionType)))
            .ToList();
        if (states.FirstOrDefault(s => s.Condition?.Status == "False") is { Condition: { } failing } failed)
        {
            return Observed<WalArchiving>.Known(new WalArchiving(false, failed.Name ?? "", failing.Reason, failing.Message,
                failing.LastTransitionTime is { } since ? Utc(since) : null));
        }
        if (states.Where(s => s.Condition?.Status != "True").Select(s => s.Name ?? "").FirstOrDefault() is { } silent)
        {
            return Observed<WalArchiving>.Unknown($"CloudNativePG Cluster {silent} has no {WalArchiving.ConditionType} condition yet (no WAL archive attempt reported)");
        }
        return Observed<WalArchiving>.Known(new WalArchiving(true, states[0].Name ?? "", states[0].Condition!.Reason, states[0].Condition!.Message, null));
    }

    /// <summary>
    /// The version tag of the admin-site image the Deployment runs, pulled from upstream or through a registry mirror,
    /// which puts its own host before the upstream reference (ImageMirror: &lt;prefix&gt;/ghcr.io/os2borgerpc/...).
    /// </summary>
    public static Observed<string> RunningVersion(V1Deployment deployment)
    {
        var tag = deployment.Spec?.Template?.Spec?.Containers?
            .Select(c => AdminSiteTag(c.Image))
            .FirstOrDefault(t => t is not null);
        return tag is null
            ? Observed<string>.Unknown($"the Deployment runs no {AdminSiteRelease.ImageRepository} image")
            : Observed<string>.Known(tag);
    }

    private static string? AdminSiteTag(string? image) =>
        image is not null && ImageReference.TryParse(image, out var reference) && reference.Tag is { } tag
            && (reference.SourceRepository == AdminSiteRelease.ImageRepository
                || reference.SourceRepository.EndsWith("/" + AdminSiteRelease.ImageRepository, StringComparison.Ordinal))
            ? tag
            : null;

    /// <summary>Pods that should be running (not the finished pods of Jobs), and how many are ready.</summary>
    public static PodReadiness Pods(IEnumerable<V1Pod> pods)
    {
        var running = pods.Where(p => p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
        var ready = running.Count(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        return new PodReadiness(ready, running.Count);
    }

    /// <summary>When the newest Job of one of <paramref name="cronJobs"/> succeeded, or null when none has.</summary>
    public static DateTimeOffset? LastSucceededJob(IEnumerable<V1Job> jobs, IReadOnlyCollection<string> cronJobs) =>
        jobs.Where(job => job.Metadata?.OwnerReferences?.Any(o => o.Kind == "CronJob" && cronJobs.Contains(o.Name)) == true)
            .Where(job => job.Status?.Succeeded > 0 && job.Status.CompletionTime is not null)
            .Select(job => (DateTimeOffset?)Utc(job.Status.CompletionTime!.Value))
            .Max();

    /// <summary>When the newest CloudNativePG Backup completed, or null when none has.</summary>
    public static DateTimeOffset? LastCompletedCnpgBackup(IEnumerable<CnpgBackupResource> backups) =>
        backups.Where(b => b.Status?.Phase == "completed" && b.Status.StoppedAt is not null)
            .Select(b => (DateTimeOffset?)Utc(b.Status!.StoppedAt!.Value))
            .Max();

    /// <summary>The earliest <c>status.notAfter</c> of the cert-manager Certificates, or null when none has one.</summary>
    public static DateTimeOffset? CertificateNotAfter(IEnumerable<CertificateResource> certificates) =>
        certificates.Where(c => c.Status?.NotAfter is not null).Select(c => (DateTimeOffset?)Utc(c.Status!.NotAfter!.Value)).Min();

    /// <summary>A fact read from a list, or the list's reason for being unknown.</summary>
    public static Observed<TFact> Pick<TItem, TFact>(Observed<ILookup<string, TItem>> list, Func<ILookup<string, TItem>, Observed<TFact>> read) =>
        list.IsKnown ? read(list.Value) : Observed<TFact>.Unknown(list.Why!);

    /// <summary>The oldest of the newest backups of each kind the tenant has.</summary>
    private static Observed<DateTimeOffset> LastBackup(ClusterInventory cluster, string ns, IReadOnlyList<IBackupKind> backups)
    {
        var kinds = backups.Select(kind => kind.Last(cluster, ns)).OfType<Observed<DateTimeOffset>>().ToList();
        if (kinds.Count == 0)
        {
            return Observed<DateTimeOffset>.Unknown("the tenant has no backups of any kind the status knows");
        }
        var unknown = kinds.Where(k => !k.IsKnown).Select(k => k.Why).ToList();
        return unknown.Count > 0 ? Observed<DateTimeOffset>.Unknown(string.Join("; ", unknown)) : Observed<DateTimeOffset>.Known(kinds.Min(k => k.Value));
    }

    /// <summary>The API's times are UTC (RFC 3339 with Z); the client reads them as a DateTime, local or unspecified.</summary>
    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
