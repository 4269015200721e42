using OS2BorgerPC.Deploy.ControlPlane.Tests.Support;
using OS2BorgerPC.Deploy.Tenants.Municipalities;
using OS2BorgerPC.Deploy.Tenants.Templates;
using Xunit.Abstractions;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests;

/// <summary>
/// Every tenant's objects as a real kube-apiserver admits them (strict decoding, defaulting, validation,
/// LimitRange, ResourceQuota, PodSecurity <c>restricted</c>), and the pods its controllers create from them:
/// the shipped stacks and a generated fleet of both hostings and every size tier.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class AdmissionTests(Support.ControlPlane plane, ITestOutputHelper output)
{
    /// <summary>Every stacks/Pulumi.*.yaml.</summary>
    public static TheoryData<string> ShippedStacks => new(RepositoryRoot.Workspace().StackNames());

    /// <summary>A generated fleet: each hosting in each size tier, as `tenant new` writes it (one municipality each).</summary>
    public static TheoryData<string> Fleet => new(FleetTenants.Keys);

    private static readonly Dictionary<string, string> FleetTenants = MunicipalityRegister.All
        .OrderBy(m => m.Code)
        .Zip(from hosting in new[] { "kubernetes", "azure" } from size in new[] { "small", "medium", "large" } select (hosting, size))
        .ToDictionary(pair => pair.First.Slug, pair => (NewTenant.For(pair.First) with
        {
            Hosting = pair.Second.hosting,
            Size = pair.Second.size,
            ClusterEgressRanges = pair.Second.hosting == "azure" ? ["20.50.1.0/28"] : [],
        }).RenderStackFile());

    private static string StackFile(string stack) =>
        FleetTenants.TryGetValue(stack, out var generated) ? generated : RepositoryRoot.StackText(stack);

    [ControlPlaneFact]
    public async Task The_pinned_CRDs_are_accepted_by_the_API_server()
    {
        var crds = await plane.Crds;
        output.WriteLine($"control plane ready in {plane.StartupTime.TotalSeconds:F1} s; {crds.Accepted.Count} CRDs established in {crds.Duration.TotalSeconds:F1} s");
        crds.Refused.ShouldBeEmpty(string.Join("\n", crds.Refused));
    }

    [ControlPlaneTheory]
    [MemberData(nameof(ShippedStacks))]
    [MemberData(nameof(Fleet))]
    public async Task Every_object_is_accepted_and_every_workload_pod_admitted(string stack)
    {
        var (_, rollout) = await plane.RolledOut(stack, StackFile(stack));

        output.WriteLine(rollout.ToString());
        rollout.Refusals.ShouldBeEmpty(rollout.ToString());
        // At least every pod asked for: a Job controller may briefly make one more (seen once for an azure tenant).
        rollout.Pods.ShouldBeGreaterThanOrEqualTo(rollout.ExpectedPods, rollout.ToString());
    }

    [ControlPlaneTheory]
    [MemberData(nameof(ShippedStacks))]
    [MemberData(nameof(Fleet))]
    public async Task A_job_of_each_cron_job_is_admitted_on_its_own(string stack)
    {
        var (tenant, _) = await plane.RolledOut(stack, StackFile(stack));
        var cronJobs = tenant.OfKind("CronJob").Select(c => c.Name).ToList();
        cronJobs.ShouldNotBeEmpty();

        var refusals = new List<Refusal>();
        foreach (var cronJob in cronJobs)
        {
            var (pods, refused) = await tenant.RunJobs([cronJob], "alone");
            output.WriteLine($"{stack}: job of {cronJob}: {pods - tenant.WorkloadPods()} pod admitted");
            refusals.AddRange(refused);
            await tenant.DeleteJobs();
        }
        refusals.ShouldBeEmpty(string.Join("\n", refusals));
    }

    /// <summary>
    /// The worst case the quota must hold: every CronJob's Job running at once (a schedule, the pre-upgrade
    /// backup, a manual run) while every Deployment rolls out. Before issue 13 the quota was sized for two jobs and
    /// refused the third Job's pod with "exceeded quota"; the scoped quotas admit them all.
    /// </summary>
    [ControlPlaneTheory]
    [MemberData(nameof(ShippedStacks))]
    [MemberData(nameof(Fleet))]
    public async Task Every_cron_job_at_once_during_a_rollout_fits_the_quota(string stack)
    {
        var (tenant, _) = await plane.RolledOut(stack, StackFile(stack));
        var cronJobs = tenant.OfKind("CronJob").Select(c => c.Name).ToList();

        await tenant.RestartDeployments();
        var (pods, refused) = await tenant.RunJobs(cronJobs, "overlap");
        await tenant.DeleteJobs();

        var expected = tenant.WorkloadPods() + cronJobs.Count;
        output.WriteLine($"{stack}: {cronJobs.Count} jobs at once during a rollout: {pods} of {expected} pods admitted");
        refused.ShouldBeEmpty($"QUOTA HEADROOM (issue 13): with {cronJobs.Count} jobs at once the namespace quota refuses:\n{string.Join("\n", refused)}");
        pods.ShouldBe(expected);
    }
}
