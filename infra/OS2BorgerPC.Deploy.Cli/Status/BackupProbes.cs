using System.Text.Json;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.Cli.Status;

/// <summary>
/// One kind of backup a tenant has, and when the last one of that kind succeeded. <c>fleet status</c> asks every
/// probe; a tenant's last good backup is the oldest of the kinds' newest ones (a restore needs all of them).
/// </summary>
public interface IBackupProbe
{
    /// <summary>The newest successful backup of this kind, why it is not known, or null when the tenant has no backups of this kind.</summary>
    Observed<DateTimeOffset>? Last(Kubectl kubectl);
}

/// <summary>The Jobs of the tenant's backup CronJobs (<c>kubectl get jobs</c>): the newest one that succeeded, by its completionTime.</summary>
public sealed class CronJobBackupProbe(IReadOnlyCollection<string> cronJobs) : IBackupProbe
{
    /// <summary>The nightly backup CronJob the program creates.</summary>
    public static CronJobBackupProbe Nightly { get; } = new([TenantObjects.Backup]);

    public Observed<DateTimeOffset>? Last(Kubectl kubectl)
    {
        var jobs = ClusterQuery.Get(kubectl, "jobs");
        if (!jobs.IsKnown)
        {
            return Observed<DateTimeOffset>.Unknown(jobs.Why!);
        }
        return ClusterQuery.Parsed(() => ClusterFacts.LastSucceededJob(jobs.Value, cronJobs) is { } last
            ? Observed<DateTimeOffset>.Known(last)
            : Observed<DateTimeOffset>.Unknown($"no Job of CronJob {string.Join(" or ", cronJobs)} has succeeded (of those the cluster still keeps)"));
    }
}

/// <summary>
/// CloudNativePG's Backup objects (<c>backups.postgresql.cnpg.io</c>): the newest completed one, by status.stoppedAt.
/// Applies only where the namespace has a CloudNativePG Cluster.
/// </summary>
public sealed class CnpgBackupProbe : IBackupProbe
{
    public Observed<DateTimeOffset>? Last(Kubectl kubectl)
    {
        var clusters = ClusterQuery.Get(kubectl, "clusters.postgresql.cnpg.io");
        if (!clusters.IsKnown || !ClusterQuery.HasItems(clusters.Value))
        {
            return null;
        }
        var backups = ClusterQuery.Get(kubectl, "backups.postgresql.cnpg.io");
        if (!backups.IsKnown)
        {
            return Observed<DateTimeOffset>.Unknown(backups.Why!);
        }
        return ClusterQuery.Parsed(() => ClusterFacts.LastCompletedCnpgBackup(backups.Value) is { } last
            ? Observed<DateTimeOffset>.Known(last)
            : Observed<DateTimeOffset>.Unknown("no CloudNativePG Backup has completed"));
    }
}

/// <summary><c>kubectl get &lt;resource&gt; -o json</c> in a tenant's namespace, with a bounded wait for an unreachable cluster.</summary>
public static class ClusterQuery
{
    public const string RequestTimeout = "--request-timeout=15s";

    public static Observed<string> Get(Kubectl kubectl, params string[] what)
    {
        var result = kubectl.Run(["get", .. what, "-o", "json", RequestTimeout]);
        return result.Succeeded ? Observed<string>.Known(result.Output) : Observed<string>.Unknown(result.Reason.Length > 0 ? result.Reason : $"kubectl get {string.Join(' ', what)} failed");
    }

    /// <summary>Whether a list kubectl printed has any item (an answer that is no list has none).</summary>
    public static bool HasItems(string listJson)
    {
        try
        {
            using var document = JsonDocument.Parse(listJson);
            return document.RootElement.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array && items.GetArrayLength() > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Whether kubectl's reason is a missing object or resource type, rather than a cluster that did not answer.</summary>
    public static bool IsNotFound(string reason) =>
        reason.Contains("NotFound", StringComparison.Ordinal) || reason.Contains("not found", StringComparison.Ordinal)
        || reason.Contains("doesn't have a resource type", StringComparison.Ordinal);

    /// <summary>kubectl's JSON read into a fact; JSON that is not what kubectl writes becomes an unknown fact.</summary>
    public static Observed<T> Parsed<T>(Func<Observed<T>> read)
    {
        try
        {
            return read();
        }
        catch (JsonException e)
        {
            return Observed<T>.Unknown($"kubectl's answer is not the expected JSON: {e.Message}");
        }
    }
}
