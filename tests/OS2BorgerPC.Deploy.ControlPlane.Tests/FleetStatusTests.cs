using k8s;
using k8s.Models;
using OS2BorgerPC.Deploy.Cli.Status;
using OS2BorgerPC.Deploy.ControlPlane.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using Xunit.Abstractions;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests;

/// <summary>
/// <c>fleet status</c>'s cluster lists (one per kind, across namespaces, selected by the tenant label) against the
/// real API server holding the shipped tenants: each tenant's facts are those its whole namespace gives, as the
/// per-namespace <c>kubectl get ... -n</c> of the earlier implementation read them, and what a control plane
/// without nodes and operators shows.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class FleetStatusTests(Support.ControlPlane plane, ITestOutputHelper output)
{
    [ControlPlaneTheory]
    [MemberData(nameof(TenantStacks.Shipped), MemberType = typeof(TenantStacks))]
    public async Task The_fleet_lists_give_a_tenant_the_facts_its_whole_namespace_gives(string stack)
    {
        var (tenant, _) = await plane.RolledOut(stack, TenantStacks.StackFile(stack));
        var settings = RepositoryRoot.Tenant(stack);
        var ns = tenant.Namespace;

        var fleet = ClusterFacts.Of(await new ClusterLists(plane.Kubeconfig).ReadAsync(context: null), ns, BackupKinds.All);
        var whole = ClusterFacts.Of(await WholeNamespace(ns), ns, BackupKinds.All);

        output.WriteLine($"{stack}: {fleet}");
        fleet.ShouldBe(whole);
        fleet.DeployedVersion.ShouldBe(Observed<string>.Known(settings.Release.VersionText));
        // No scheduler: the pods exist and none is ready.
        fleet.Pods.Value.Ready.ShouldBe(0);
        fleet.Pods.Value.Total.ShouldBeGreaterThanOrEqualTo(tenant.WorkloadPods());
        // No cert-manager and no CloudNativePG operator: nothing issued, nothing backed up.
        fleet.CertificateNotAfter.Why.ShouldBe($"no issued Certificate in {ns}");
        fleet.LastBackup.Why.ShouldBe(tenant.OfKind("Cluster").Any()
            ? "no Job of CronJob backup has succeeded (of those the cluster still keeps); no CloudNativePG Backup has completed"
            : "no Job of CronJob backup has succeeded (of those the cluster still keeps)");
    }

    /// <summary>
    /// A CronJob's Job carries the tenant label although the program's jobTemplate has none: the API gives a Job
    /// without labels its pod template's (kubernetes pkg/apis/batch/v1/defaults.go, SetDefaults_Job), so the
    /// fleet's Jobs list, selected by the tenant label, has the backups.
    /// </summary>
    [ControlPlaneFact]
    public async Task A_backup_job_made_from_the_cron_job_template_carries_the_tenant_label()
    {
        var (tenant, _) = await plane.RolledOut("demo", TenantStacks.StackFile("demo"));
        var cronJob = tenant.OfKind("CronJob").Single(c => c.Name == TenantObjects.Backup);
        (await plane.Client.BatchV1.ReadNamespacedCronJobAsync(cronJob.Name, tenant.Namespace)).Spec.JobTemplate.Metadata?.Labels.ShouldBeNull();

        await tenant.StartJobs([TenantObjects.Backup], "status");
        try
        {
            var jobs = await plane.Client.BatchV1.ListJobForAllNamespacesAsync(labelSelector: ClusterLists.TenantSelector);
            jobs.Items.ShouldContain(j => j.Metadata.Name == $"{TenantObjects.Backup}-status" && j.Metadata.NamespaceProperty == tenant.Namespace);
        }
        finally
        {
            await tenant.DeleteJobs();
        }
    }

    /// <summary>The namespace's objects, every one, as <c>kubectl get &lt;kind&gt; -n &lt;namespace&gt;</c> lists them.</summary>
    private async Task<ClusterInventory> WholeNamespace(string ns)
    {
        var client = plane.Client;
        return new ClusterInventory(
            ClusterInventory.ByNamespace((await client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items),
            ClusterInventory.ByNamespace((await client.CoreV1.ListNamespacedPodAsync(ns)).Items),
            ClusterInventory.ByNamespace((await client.BatchV1.ListNamespacedJobAsync(ns)).Items),
            ClusterInventory.ByNamespace((await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<CertificateResource>>("cert-manager.io", "v1", ns, "certificates")).Items),
            ClusterInventory.ByNamespace((await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<CnpgClusterResource>>("postgresql.cnpg.io", "v1", ns, "clusters")).Items),
            ClusterInventory.ByNamespace((await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<CnpgBackupResource>>("postgresql.cnpg.io", "v1", ns, "backups")).Items));
    }
}
