using System.Diagnostics;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.ControlPlane.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using Xunit.Abstractions;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests;

/// <summary>
/// The objects <c>tenant restore --yes</c> (issue 13) adds to a rolled-out tenant, as the API server admits them: the
/// CloudNativePG recovery Cluster of a point-in-time restore, validated by the pinned CloudNativePG CRD with strict
/// field validation, and the restore Job's pod under PodSecurity <c>restricted</c>, the LimitRange and the quotas,
/// while the app, the database and every Job that can overlap with it run.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class RestoreTests(Support.ControlPlane plane, ITestOutputHelper output)
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 14, 5, 0, TimeSpan.Zero);

    public static TheoryData<string> KubernetesFleet => TenantStacks.FleetOf(TenantStacks.Kubernetes);

    public static TheoryData<string> AzureFleet => TenantStacks.FleetOf(TenantStacks.Azure);

    [ControlPlaneTheory]
    [MemberData(nameof(KubernetesFleet))]
    public async Task The_recovery_cluster_is_accepted_by_the_pinned_CloudNativePG_CRD_as_written(string stack)
    {
        var (tenant, _) = await plane.RolledOut(stack, TenantStacks.StackFile(stack));
        var restore = new RestoreOnCluster(plane.Api, tenant);
        try
        {
            var (manifest, refusal) = await restore.ApplyRecoveryCluster(At);
            refusal.ShouldBeNull(refusal?.ToString());

            // Strict validation refuses an unknown field; what the CRD prunes or defaults away would show here.
            var served = await restore.ServedRecoveryCluster();
            FieldsMissingOrChanged(manifest["spec"]!, served["spec"]!, "spec").ShouldBeEmpty();
            served["spec"]!["bootstrap"]!["recovery"]!["recoveryTarget"]!["targetTime"]!.GetValue<string>().ShouldBe("2026-11-30T14:05:00Z");
            served["spec"]!["backup"].ShouldBeNull("a recovery cluster archives nowhere");
            output.WriteLine($"{stack}: Cluster {RecoveryCluster.Name} accepted and kept as written (pinned CloudNativePG CRD, fieldValidation=Strict)");
        }
        finally
        {
            await restore.CleanUp();
        }
    }

    /// <summary>
    /// The worst case of a restore: the app's pod and a replacement beside it, the database (a kubernetes tenant's:
    /// its instances, and a point-in-time recovery's job pod and instance beside them, as CloudNativePG makes them),
    /// and the restore Job with a Job of every CronJob and the pre-upgrade backup: every Job that can overlap
    /// (<see cref="TenantQuota.OverlappingJobs"/>). A kubernetes tenant restores to a point in time (the Job's
    /// longest form: fetch, dump of the recovered cluster, database, media), an azure tenant from a restore point.
    /// </summary>
    [ControlPlaneTheory]
    [MemberData(nameof(KubernetesFleet))]
    [MemberData(nameof(AzureFleet))]
    public async Task A_restore_is_admitted_while_the_app_the_database_and_every_overlapping_job_run(string stack)
    {
        var (tenant, _) = await plane.RolledOut(stack, TenantStacks.StackFile(stack));
        var restore = new RestoreOnCluster(plane.Api, tenant);
        var pointInTime = tenant.OfKind("Cluster").Any();
        var cronJobs = tenant.OfKind("CronJob").Select(c => c.Name).ToList();
        var refusals = new List<Refusal>();
        var clock = Stopwatch.StartNew();
        try
        {
            if (pointInTime)
            {
                if ((await restore.ApplyRecoveryCluster(At)).Refusal is { } refusal)
                {
                    refusals.Add(refusal);
                }
                refusals.AddRange(await restore.DatabasePodsDuringRecovery());
            }
            await tenant.ScaleDeployments(extra: 1);
            var run = new RestoreRun(RestoreRun.StampOf(At), "2026-11-30T02:00:00Z", Source: null,
                RecoveredHost: pointInTime ? RecoveryCluster.ReadWriteHost : null);
            refusals.AddRange(await restore.ApplyRestoreJob(run));
            await tenant.StartJobs(cronJobs, "overlap");
            await tenant.StartJobs([TenantObjects.Backup], "pre-upgrade");
            var jobs = 1 + cronJobs.Count + 1;
            jobs.ShouldBe(TenantQuota.MaxOverlappingJobs, "the Jobs started here are the ones the quota is sized for");

            var appPods = tenant.WorkloadPods() + tenant.OfKind("Deployment").Count();
            var expected = appPods + restore.StandIns.Pods + jobs;
            var (pods, refused) = await tenant.PodsCreated(expected);
            refusals.AddRange(refused);
            output.WriteLine($"{stack}: restore fetch job ({string.Join(", ", RestoreJob.StepsOf(run, RestorePhase.Fetch).Select(s => s.Step))}) with {jobs - 1} other jobs, "
                + $"{appPods} app pods and {restore.StandIns.Pods} database pods: {pods} of {expected} pods admitted in {clock.Elapsed.TotalSeconds:F1} s");
            refusals.ShouldBeEmpty(string.Join("\n", refusals));
            pods.ShouldBe(expected);
        }
        finally
        {
            await restore.CleanUp();
            await tenant.ScaleDeployments(extra: 0);
            await tenant.DeleteJobs();
        }
    }

    /// <summary>Where <paramref name="served"/> lacks a field of <paramref name="written"/> or holds another value (added defaults are fine).</summary>
    private static IEnumerable<string> FieldsMissingOrChanged(JsonNode written, JsonNode? served, string path) => written switch
    {
        JsonObject fields => fields.SelectMany(field => FieldsMissingOrChanged(field.Value!, (served as JsonObject)?[field.Key], $"{path}.{field.Key}")),
        JsonArray items when served is JsonArray servedItems && servedItems.Count == items.Count =>
            items.SelectMany((item, i) => FieldsMissingOrChanged(item!, servedItems[i], $"{path}[{i}]")),
        _ => JsonNode.DeepEquals(written, served) ? [] : [$"{path}: wrote {written.ToJsonString()}, the API server keeps {served?.ToJsonString() ?? "nothing"}"],
    };
}
