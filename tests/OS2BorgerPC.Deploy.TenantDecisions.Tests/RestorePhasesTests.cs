using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>
/// A restore's two Jobs: what runs while the admin site still serves (the fetch, which writes only beside the data)
/// and what runs once it is stopped (the load), each with its own deadline; and where the steps' space refusals tell
/// the operator to grow a volume.
/// </summary>
public sealed class RestorePhasesTests(TempRepository repository) : IClassFixture<TempRepository>
{
    private static readonly RestoreRun InPlace = new("20261202t190000z", "nightly-20261202T020000Z", Source: null);

    public static TheoryData<RestoreRun, string[], string[]> Runs => new()
    {
        { InPlace, ["fetch"], ["database", "media"] },
        { InPlace with { WithMedia = false }, ["fetch"], ["database"] },
        // A point in time: the recovered cluster is dumped while the admin site serves, as /media is fetched.
        { InPlace with { RecoveredHost = RecoveryCluster.ReadWriteHost }, ["fetch", "dump"], ["database", "media"] },
        { InPlace with { Point = null, WithMedia = false, RecoveredHost = RecoveryCluster.ReadWriteHost }, ["dump"], ["database"] },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Nothing_that_changes_the_tenants_data_runs_before_the_admin_site_is_stopped(RestoreRun run, string[] fetch, string[] load)
    {
        RestoreJob.StepsOf(run, RestorePhase.Fetch).Select(s => s.Step).ShouldBe(fetch);
        RestoreJob.StepsOf(run, RestorePhase.Load).Select(s => s.Step).ShouldBe(load);
        RestoreJob.StepsOf(run).Select(s => s.Step).ShouldBe([.. fetch, .. load]);
    }

    /// <summary>Only a restore from another tenant's Azure Blob repository (a drill) runs as the drill's ServiceAccount, whose identity may only read the source.</summary>
    [Theory]
    [InlineData(null, OffSiteBackup.ServiceAccount)]
    [InlineData("s3:https://s3.example.test/bucket/tenants/aarhus/restic", OffSiteBackup.ServiceAccount)]
    [InlineData("azure:tenant-aarhus:/restic", OffSiteBackup.DrillServiceAccount)]
    public void A_restore_from_another_tenants_azure_blob_repository_runs_as_the_drill_service_account(string? source, string account)
    {
        var run = InPlace with { Source = source is null ? null : new RestoreSource("aarhus", source) };

        RestoreJob.ServiceAccountOf(run).ShouldBe(account);
    }

    [Fact]
    public void Each_job_has_a_name_and_a_deadline_of_its_own()
    {
        (InPlace.JobNameOf(RestorePhase.Fetch), InPlace.JobNameOf(RestorePhase.Load)).ShouldBe(("restore-fetch-20261202t190000z", "restore-20261202t190000z"));
        // Both carry the restore prefix: 'tenant import' refuses while either runs (it looks for the restore component).
        InPlace.FetchJobName.ShouldStartWith(RestoreJob.Prefix);
        RestoreJob.DeadlineOf(RestorePhase.Fetch).ShouldBe(3 * 3600);
        RestoreJob.DeadlineOf(RestorePhase.Load).ShouldBe(2 * 3600);
    }

    [Theory]
    [InlineData("small", "now small")]
    [InlineData("large", "now large")]
    public void A_space_refusal_names_the_stack_files_size_and_what_each_tier_gives(string size, string now)
    {
        var tenant = repository.Open().Load(StackFile.Kubernetes().Set("tenant.size", size)).ShouldBeValid();

        LoadSpace.GrowHint(tenant).ShouldBe(
            $"size in stacks/Pulumi.test.yaml, {now} (small: database 10 GiB, /media 10 GiB; medium: database 20 GiB, /media 25 GiB; large: database 50 GiB, /media 50 GiB), then 'pulumi up --stack test'");
    }
}
