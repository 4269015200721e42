using k8s;
using k8s.Models;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Status;

/// <summary>A tenant's facts picked from its cluster's lists: recorded list answers of the API (Status/Recorded).</summary>
public sealed class ClusterFactsTests
{
    private static readonly ClusterInventory Recorded = new(
        ClusterInventory.ByNamespace(Read<V1DeploymentList>("deployments").Items),
        ClusterInventory.ByNamespace(Read<V1PodList>("pods").Items),
        ClusterInventory.ByNamespace(Read<V1JobList>("jobs").Items),
        ClusterInventory.ByNamespace(Read<CustomResourceList<CertificateResource>>("certificates").Items),
        ClusterInventory.ByNamespace(Read<CustomResourceList<CnpgClusterResource>>("cnpg-clusters").Items),
        ClusterInventory.ByNamespace(Read<CustomResourceList<CnpgBackupResource>>("cnpg-backups").Items));

    private static NamespaceFacts Of(ClusterInventory cluster, string tenant) => ClusterFacts.Of(cluster, $"os2borgerpc-{tenant}", BackupKinds.All);

    [Fact]
    public void A_healthy_tenant_has_every_fact_from_its_own_namespace()
    {
        var aarhus = Of(Recorded, "aarhus");

        aarhus.DeployedVersion.ShouldBe(Observed<string>.Known("7.1.0"));
        // The finished pod of a backup Job is not one that should be running; the CloudNativePG instance is.
        aarhus.Pods.ShouldBe(Observed<PodReadiness>.Known(new PodReadiness(3, 3)));
        aarhus.CertificateNotAfter.ShouldBe(Observed<DateTimeOffset>.Known(Utc("2026-05-01T06:00:00Z")));
        // Both kinds of backup: the oldest of the newest (the CloudNativePG base backup, before the nightly Job).
        aarhus.LastBackup.ShouldBe(Observed<DateTimeOffset>.Known(Utc("2026-03-02T00:05:10Z")));
    }

    [Fact]
    public void A_troubled_tenant_shows_its_problems_and_ignores_failed_jobs_and_unissued_certificates()
    {
        var odense = Of(Recorded, "odense");

        odense.DeployedVersion.ShouldBe(Observed<string>.Known("7.0.9"));
        odense.Pods.ShouldBe(Observed<PodReadiness>.Known(new PodReadiness(1, 2)));
        odense.LastBackup.ShouldBe(Observed<DateTimeOffset>.Known(Utc("2026-03-01T00:31:55Z")));
        odense.CertificateNotAfter.ShouldBe(Observed<DateTimeOffset>.Known(Utc("2026-03-07T06:00:00Z")));
    }

    [Fact]
    public void A_namespace_the_lists_do_not_have_says_what_is_missing()
    {
        var vejle = Of(Recorded, "vejle");

        vejle.DeployedVersion.Why.ShouldBe("no Deployment admin-site in os2borgerpc-vejle");
        vejle.Pods.ShouldBe(Observed<PodReadiness>.Known(new PodReadiness(0, 0)));
        vejle.LastBackup.Why.ShouldBe("no Job of CronJob backup has succeeded (of those the cluster still keeps)");
        vejle.CertificateNotAfter.Why.ShouldBe("no issued Certificate in os2borgerpc-vejle");
    }

    [Fact]
    public void A_cluster_that_did_not_answer_makes_every_fact_unknown_with_its_reason()
    {
        const string why = "the cluster (context aks-west) did not answer: Connection refused";

        var facts = Of(ClusterInventory.Unreachable(why), "aarhus");

        facts.Pods.Why.ShouldBe(why);
        facts.LastBackup.Why.ShouldBe(why);
        facts.CertificateNotAfter.Why.ShouldBe(why);
        facts.DeployedVersion.Why.ShouldBe(why);
    }

    [Fact]
    public void Without_cert_manager_and_CloudNativePG_the_certificate_is_unknown_and_the_nightly_job_alone_is_the_backup()
    {
        var noCrds = Recorded with
        {
            Certificates = Observed<ILookup<string, CertificateResource>>.Unknown("the cluster has no resource type certificates.cert-manager.io (is its CRD installed?)"),
            CnpgClusters = Observed<ILookup<string, CnpgClusterResource>>.Unknown("the cluster has no resource type clusters.postgresql.cnpg.io (is its CRD installed?)"),
            CnpgBackups = Observed<ILookup<string, CnpgBackupResource>>.Unknown("the cluster has no resource type backups.postgresql.cnpg.io (is its CRD installed?)"),
        };

        var aarhus = Of(noCrds, "aarhus");

        aarhus.CertificateNotAfter.Why.ShouldBe("the cluster has no resource type certificates.cert-manager.io (is its CRD installed?)");
        aarhus.LastBackup.ShouldBe(Observed<DateTimeOffset>.Known(Utc("2026-03-02T01:38:12Z")));
        aarhus.DeployedVersion.IsKnown.ShouldBeTrue();
    }

    [Fact]
    public void A_tenant_with_a_CloudNativePG_cluster_whose_backups_cannot_be_listed_has_no_known_backup()
    {
        var aarhus = Of(Recorded with { CnpgBackups = Observed<ILookup<string, CnpgBackupResource>>.Unknown("forbidden") }, "aarhus");

        aarhus.LastBackup.Why.ShouldBe("forbidden");
    }

    [Fact]
    public void A_CloudNativePG_cluster_without_a_completed_backup_and_no_jobs_list_give_both_reasons()
    {
        var cluster = Recorded with
        {
            Jobs = Observed<ILookup<string, V1Job>>.Unknown("jobs timed out"),
            CnpgBackups = ClusterInventory.ByNamespace<CnpgBackupResource>([]),
        };

        Of(cluster, "aarhus").LastBackup.Why.ShouldBe("jobs timed out; no CloudNativePG Backup has completed");
    }

    [Fact]
    public void A_healthy_CloudNativePG_cluster_archives_and_a_tenant_without_one_has_no_archiving_fact()
    {
        Of(Recorded, "aarhus").Archiving!.Value.Working.ShouldBeTrue();
        Of(Recorded, "odense").Archiving.ShouldBeNull();
        Of(Recorded with { CnpgClusters = Observed<ILookup<string, CnpgClusterResource>>.Unknown("the cluster has no resource type clusters.postgresql.cnpg.io") }, "aarhus")
            .Archiving.ShouldBeNull();
    }

    [Fact]
    public void A_False_ContinuousArchiving_condition_is_read_with_its_reason_message_and_time()
    {
        // cloudnative-pg v1.30.0 pkg/management/postgres/webserver/local.go: a failed archive sets status False,
        // reason ContinuousArchivingFailing and the archiver's error as the message.
        var kolding = Of(Recorded, "kolding").Archiving!;

        kolding.Value.ShouldBe(new WalArchiving(false, "kolding-db", "ContinuousArchivingFailing",
            "rpc error: code = Unknown desc = unexpected failure invoking barman-wal-archive: exit status 4", Utc("2026-03-02T03:00:00Z")));
    }

    [Fact]
    public void A_cluster_without_the_condition_yet_is_unknown_and_so_needs_attention()
    {
        var horsens = Of(Recorded, "horsens");

        horsens.Archiving!.Why.ShouldBe("CloudNativePG Cluster horsens-db has no ContinuousArchiving condition yet (no WAL archive attempt reported)");
        var observation = FleetStatusSamples.Healthy("horsens") with { Archiving = horsens.Archiving };
        FleetStatusAssessment.Assess(observation, StatusThresholds.Default, FleetStatusSamples.Main, FleetStatusSamples.Now).Flags(StatusCheck.Archiving).ShouldBeTrue();
    }

    [Fact]
    public void A_Deployment_without_the_admin_site_image_has_no_version()
    {
        var deployment = Read<V1DeploymentList>("deployments").Items[0];
        deployment.Spec.Template.Spec.Containers.RemoveAt(0);

        ClusterFacts.RunningVersion(deployment).Why.ShouldBe("the Deployment runs no ghcr.io/os2borgerpc/os2borgerpc-admin-site image");
    }

    /// <summary>A platform with a registry mirror puts its host before the upstream reference (ImageMirror); the tag is still the version.</summary>
    [Theory]
    [InlineData("ghcr.io/os2borgerpc/os2borgerpc-admin-site:7.1.0", "7.1.0")]
    [InlineData("cros2bpc1a2b3c.azurecr.io/ghcr.io/os2borgerpc/os2borgerpc-admin-site:7.1.0", "7.1.0")]
    [InlineData("registry.example.dk/mirror/ghcr.io/os2borgerpc/os2borgerpc-admin-site:7.2.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "7.2.0")]
    public void The_running_version_is_read_from_the_admin_site_image_pulled_directly_or_through_a_mirror(string image, string version)
    {
        var deployment = Read<V1DeploymentList>("deployments").Items[0];
        deployment.Spec.Template.Spec.Containers[0].Image = image;

        ClusterFacts.RunningVersion(deployment).Value.ShouldBe(version);
    }

    [Theory]
    [InlineData("ghcr.io/os2borgerpc/os2borgerpc-admin-site-fork:7.1.0")]
    [InlineData("example.dk/ghcr.io/os2borgerpc/not-the-admin-site:7.1.0")]
    [InlineData("ghcr.io/os2borgerpc/os2borgerpc-admin-site")]
    public void Another_image_or_one_without_a_tag_gives_no_version(string image)
    {
        var deployment = Read<V1DeploymentList>("deployments").Items[0];
        var containers = deployment.Spec.Template.Spec.Containers;
        var first = containers[0];
        containers.Clear();
        containers.Add(first);
        first.Image = image;

        ClusterFacts.RunningVersion(deployment).IsKnown.ShouldBeFalse();
    }

    private static T Read<T>(string list) =>
        KubernetesJson.Deserialize<T>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Status", "Recorded", $"{list}.json")));

    private static DateTimeOffset Utc(string time) => DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture);
}
