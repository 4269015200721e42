using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

public sealed class TenantQuotaTests
{
    public static TheoryData<SizeTier, Hosting> TiersAndHostings()
    {
        var data = new TheoryData<SizeTier, Hosting>();
        foreach (var tier in Enum.GetValues<SizeTier>())
        {
            foreach (var hosting in Enum.GetValues<Hosting>())
            {
                data.Add(tier, hosting);
            }
        }
        return data;
    }

    /// <summary>A pod as the quota admission plugin sees it: its resources and whether it has a deadline.</summary>
    private sealed record Pod(string Name, ComputeBudget Resources, bool HasDeadline);

    /// <summary>
    /// Kubernetes' ResourceQuota admission, as far as these quotas go: a pod is charged to every quota whose scope
    /// matches it, and is refused when any of them would exceed a hard limit (requests and limits of cpu and memory, pods).
    /// </summary>
    private sealed class Namespace(params ScopedQuota[] quotas)
    {
        private readonly Dictionary<string, (ComputeBudget Used, int Pods)> used = quotas.ToDictionary(q => q.Name, _ => (ComputeBudget.None, 0));

        public string? Admit(Pod pod)
        {
            var matching = quotas.Where(q => q.Scope == (pod.HasDeadline ? "Terminating" : "NotTerminating")).ToList();
            foreach (var quota in matching)
            {
                var (sum, pods) = used[quota.Name];
                var after = sum + pod.Resources;
                var hard = quota.Compute;
                if (pods + 1 > quota.Pods || after.CpuRequestMilli > hard.CpuRequestMilli || after.CpuLimitMilli > hard.CpuLimitMilli
                    || after.MemoryRequestMiB > hard.MemoryRequestMiB || after.MemoryLimitMiB > hard.MemoryLimitMiB)
                {
                    return $"{pod.Name}: exceeded quota {quota.Name}";
                }
            }
            foreach (var quota in matching)
            {
                used[quota.Name] = (used[quota.Name].Used + pod.Resources, used[quota.Name].Pods + 1);
            }
            return null;
        }
    }

    private static List<Pod> EverythingAtOnce(SizeProfile size, Hosting hosting)
    {
        List<Pod> pods = [new("admin-site", size.AdminSitePod, false), new("admin-site (replacement)", size.AdminSitePod, false)];
        if (hosting == Hosting.Kubernetes)
        {
            pods.AddRange(Enumerable.Range(1, size.DatabaseInstances).Select(i => new Pod($"database-{i}", size.Database, false)));
            pods.Add(new("database join job", size.Database, false));
            pods.Add(new("point-in-time recovery instance", size.Database, false));
        }
        pods.AddRange(TenantQuota.OverlappingJobs.Select(job => new Pod(job, size.Job, true)));
        return pods;
    }

    [Theory]
    [MemberData(nameof(TiersAndHostings))]
    public void The_quota_admits_the_app_its_replacement_the_database_and_every_overlapping_job_at_their_limits(SizeTier tier, Hosting hosting)
    {
        var size = SizeProfile.For(tier);
        var ns = new Namespace(TenantQuota.LongRunning(size, hosting), TenantQuota.Jobs(size));

        // Jobs first, the way the issue saw the app's replacement refused: their pods must not take the app's room.
        var pods = EverythingAtOnce(size, hosting).OrderByDescending(p => p.HasDeadline).ToList();

        pods.Select(ns.Admit).Where(refusal => refusal is not null).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TiersAndHostings))]
    public void One_job_more_than_can_overlap_is_refused_and_takes_nothing_from_the_app(SizeTier tier, Hosting hosting)
    {
        var size = SizeProfile.For(tier);
        var ns = new Namespace(TenantQuota.LongRunning(size, hosting), TenantQuota.Jobs(size));
        foreach (var pod in EverythingAtOnce(size, hosting).Where(p => p.HasDeadline))
        {
            ns.Admit(pod).ShouldBeNull();
        }

        ns.Admit(new Pod("runaway job", size.Job, true)).ShouldBe("runaway job: exceeded quota tenant-jobs");
        ns.Admit(new Pod("admin-site", size.AdminSitePod, false)).ShouldBeNull();
    }

    [Fact]
    public void Five_jobs_can_overlap_and_each_is_named()
    {
        TenantQuota.MaxOverlappingJobs.ShouldBe(5);
        TenantQuota.OverlappingJobs.ShouldBe(["check-notifications", "clean-up-database", "backup (nightly)", "backup (pre-upgrade)", "import or restore"]);
    }

    [Theory]
    [InlineData(SizeTier.Small, 1)]
    [InlineData(SizeTier.Medium, 2)]
    [InlineData(SizeTier.Large, 3)]
    public void Database_instances_grow_with_the_tier_and_each_has_its_claim_and_so_has_a_recovery(SizeTier tier, int instances)
    {
        var size = SizeProfile.For(tier);

        size.DatabaseInstances.ShouldBe(instances);
        TenantQuota.Storage(size, Hosting.Kubernetes, retiredBackupsClaim: false).ShouldBe((instances + 3, (instances + 1) * size.DatabaseStorageGiB + size.MediaStorageGiB + size.BackupStorageGiB));
        TenantQuota.Storage(size, Hosting.Azure, retiredBackupsClaim: false).ShouldBe((2, size.MediaStorageGiB + size.BackupStorageGiB));
    }

    /// <summary>
    /// A tenant that still has the retired backups claim holds one claim more, of the tier's backup size: the quota
    /// counts it, so an import's staging claim still fits beside it. A new tenant's quota has no room for it.
    /// </summary>
    [Theory]
    [InlineData(SizeTier.Small)]
    [InlineData(SizeTier.Large)]
    public void The_retired_backups_claim_is_counted_only_for_a_tenant_that_still_has_it(SizeTier tier)
    {
        var size = SizeProfile.For(tier);
        var without = TenantQuota.Storage(size, Hosting.Kubernetes, retiredBackupsClaim: false);

        TenantQuota.Storage(size, Hosting.Kubernetes, retiredBackupsClaim: true)
            .ShouldBe((without.Claims + 1, without.StorageGiB + size.BackupStorageGiB));
    }

    [Fact]
    public void The_small_quotas_are_stated_exactly()
    {
        var size = SizeProfile.For(SizeTier.Small);
        var (app, jobs) = (TenantQuota.LongRunning(size, Hosting.Kubernetes), TenantQuota.Jobs(size));

        // The three database pods (instance, CNPG job, recovery instance) each with the Barman Cloud plugin's sidecar (50m/500m, 128Mi/512Mi).
        (app.Pods, app.Compute.CpuRequest, app.Compute.CpuLimit, app.Compute.MemoryRequest, app.Compute.MemoryLimit)
            .ShouldBe((5, "1500m", "7", "3584Mi", "7936Mi"));
        (jobs.Pods, jobs.Compute.CpuRequest, jobs.Compute.CpuLimit, jobs.Compute.MemoryRequest, jobs.Compute.MemoryLimit)
            .ShouldBe((5, "500m", "2500m", "1280Mi", "2560Mi"));
    }
}
