using k8s.Models;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Import;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>The objects <c>tenant import</c> applies in a tenant's namespace: where, as whom, with which volumes and credentials.</summary>
public sealed class ImportManifestsTests(TempRepository repository) : IClassFixture<TempRepository>
{
    private static readonly MediaArchive Media = new(3, 1024, "media", 1);

    [Fact]
    public void Every_name_and_path_of_an_import_carries_its_stamp()
    {
        var stamp = ImportPlan.StampOf(new DateTimeOffset(2025, 3, 5, 3, 0, 0, TimeSpan.FromHours(1)));
        var plan = Plan(Kubernetes()) with { Stamp = stamp };

        stamp.ShouldBe("20250305-020000");
        (plan.JobName, plan.UploadPodName, plan.ScriptConfigMapName, plan.BackupJobName)
            .ShouldBe(("import-20250305-020000", "import-upload-20250305-020000", "import-script-20250305-020000", "backup-before-import-20250305-020000"));
        (plan.DumpPath, plan.MediaArchivePath, plan.LogPath)
            .ShouldBe(("/staging/import-20250305-020000/database.sql", "/staging/import-20250305-020000/media.tar.gz", "/staging/import-20250305-020000.log"));
        (plan with { DumpFormat = DumpFormat.Custom }).DumpPath.ShouldBe("/staging/import-20250305-020000/database.dump");
        plan.StagingClaimName.ShouldBe("import-staging-20250305-020000");
    }

    [Theory]
    [InlineData(Hosting.Kubernetes)]
    [InlineData(Hosting.Azure)]
    public void The_job_runs_in_the_tenants_namespace_as_its_backup_workload(Hosting hosting)
    {
        var tenant = Tenant(hosting);
        var job = ImportManifests.Job(Plan(tenant));

        job.Metadata.NamespaceProperty.ShouldBe(tenant.Names.Namespace);
        // The NetworkPolicies let exactly the backup workload reach the database.
        job.Spec.Template.Metadata.Labels[TenantObjects.NameLabel].ShouldBe(TenantObjects.Backup);
        job.Spec.Template.Metadata.Labels[TenantNames.TenantLabel].ShouldBe(tenant.Slug);
        var pod = job.Spec.Template.Spec;
        pod.ServiceAccountName.ShouldBe(TenantObjects.ServiceAccount);
        pod.AutomountServiceAccountToken.ShouldBe(false);
        pod.RestartPolicy.ShouldBe("Never");
        job.Spec.BackoffLimit.ShouldBe(0);
        job.Spec.ActiveDeadlineSeconds.ShouldBe(JobLimits.DeadlineSeconds);
        // Its own deadline puts the pod in the namespace's Terminating (jobs) quota, not the app's.
        pod.ActiveDeadlineSeconds.ShouldBe(JobLimits.DeadlineSeconds);
        // No affinity to the app (which a rollback scales to 0): /media is ReadWriteMany in both hostings.
        pod.Affinity.ShouldBeNull();
        pod.Containers.ShouldHaveSingleItem().Image.ShouldBe(Images.Postgres);
        pod.Containers[0].Command.ShouldBe(["/bin/bash", "/scripts/import.sh"]);
    }

    [Fact]
    public void The_database_password_comes_from_the_tenants_secret_and_nothing_secret_is_a_literal()
    {
        var plan = Plan(Kubernetes());
        var env = ImportManifests.Job(plan).Spec.Template.Spec.Containers[0].Env;

        var password = env.Single(e => e.Name == "PGPASSWORD");
        password.Value.ShouldBeNull();
        password.ValueFrom.SecretKeyRef.Name.ShouldBe(TenantObjects.AppSecret);
        password.ValueFrom.SecretKeyRef.Key.ShouldBe(TenantObjects.DatabasePasswordKey);
        env.Where(e => e.Name != "PGPASSWORD").ShouldAllBe(e => e.ValueFrom == null);
        env.Where(e => e.Value != null).Select(e => (e.Name, e.Value))
            .ShouldBe([.. plan.Connection.Concat(plan.Settings).Select(s => (s.Key, s.Value))]);
        env.ShouldAllBe(e => !e.Name.Contains("SECRET") && !e.Name.Contains("KEY"));
    }

    [Theory]
    [InlineData(Hosting.Kubernetes, "database-rw")]
    [InlineData(Hosting.Azure, "psql-os2bpc-test-")]
    public void The_job_connects_to_the_tenants_own_database(Hosting hosting, string host)
    {
        var tenant = Tenant(hosting);

        var settings = Plan(tenant).Connection.ToDictionary();

        settings["PGHOST"].ShouldStartWith(host);
        if (hosting == Hosting.Azure)
        {
            settings["PGHOST"].ShouldBe($"{tenant.Names.PostgresServer}.postgres.database.azure.com");
        }
        (settings["PGPORT"], settings["PGDATABASE"], settings["PGUSER"]).ShouldBe(("5432", tenant.Names.DatabaseName, DatabaseRoles.AppLogin(tenant)));
    }

    [Fact]
    public void A_kubernetes_tenants_import_stages_on_a_claim_of_its_own_beside_its_media_claim()
    {
        var volumes = ImportManifests.Job(Plan(Kubernetes())).Spec.Template.Spec.Volumes.ToDictionary(v => v.Name);

        volumes["media"].PersistentVolumeClaim.ClaimName.ShouldBe(TenantStorage.MediaClaim);
        // Not the tenant's standing backups claim, which no longer holds anything: the import's own, removed afterwards.
        volumes["staging"].PersistentVolumeClaim.ClaimName.ShouldBe(Plan(Kubernetes()).StagingClaimName);
        ImportManifests.UploadPod(Plan(Kubernetes())).Spec.Volumes[0].PersistentVolumeClaim.ClaimName.ShouldBe(Plan(Kubernetes()).StagingClaimName);
        volumes["script"].ConfigMap.Name.ShouldBe(Plan(Kubernetes()).ScriptConfigMapName);
        volumes["tmp"].EmptyDir.ShouldNotBeNull();
    }

    [Fact]
    public void An_azure_tenants_volumes_are_its_own_file_shares()
    {
        var tenant = Tenant(Hosting.Azure);

        var volumes = ImportManifests.Job(Plan(tenant)).Spec.Template.Spec.Volumes.ToDictionary(v => v.Name);

        foreach (var (name, share) in new[] { ("media", tenant.Names.MediaShare), ("staging", tenant.Names.BackupShare) })
        {
            volumes[name].Csi.Driver.ShouldBe("file.csi.azure.com");
            volumes[name].Csi.VolumeAttributes["shareName"].ShouldBe(share);
            volumes[name].Csi.VolumeAttributes["secretName"].ShouldBe(TenantStorage.AzureFilesSecret);
            volumes[name].Csi.VolumeAttributes["mountOptions"].ShouldContain("uid=1000,gid=1000");
        }
    }

    /// <summary>
    /// The staging claim holds the two uploads with the file system's overhead and a GiB to spare, in whole GiB, in the
    /// class it is given (the CLI gives the database volumes' class), labelled as the import's.
    /// </summary>
    [Theory]
    [InlineData(0L, 1)]
    [InlineData(1L << 30, 3)]
    [InlineData(20L << 30, 23)]
    public void The_staging_claim_is_sized_from_the_uploads(long bytes, int gib)
    {
        var plan = Plan(Kubernetes()) with { InputBytes = bytes };

        var claim = ImportManifests.StagingClaim(plan, "os2bpc-data");

        claim.Metadata.Name.ShouldBe(plan.StagingClaimName);
        claim.Metadata.NamespaceProperty.ShouldBe(plan.Tenant.Names.Namespace);
        claim.Metadata.Labels[TenantObjects.ComponentLabel].ShouldBe(ImportManifests.ImportComponent);
        claim.Spec.StorageClassName.ShouldBe("os2bpc-data");
        claim.Spec.AccessModes.ShouldBe(["ReadWriteOnce"]);
        claim.Spec.Resources.Requests["storage"].ToString().ShouldBe($"{gib}Gi");
        (StagingClaim.SizeGiBFor(bytes) * (1L << 30)).ShouldBeGreaterThanOrEqualTo((long)(bytes * StagingClaim.Margin) + StagingClaim.HeadroomBytes);
    }

    [Theory]
    [InlineData("job")]
    [InlineData("upload pod")]
    public void Every_pod_passes_the_restricted_pod_security_standard(string which)
    {
        var plan = Plan(Kubernetes());
        var pod = which == "job" ? ImportManifests.Job(plan).Spec.Template.Spec : ImportManifests.UploadPod(plan).Spec;

        pod.SecurityContext.RunAsNonRoot.ShouldBe(true);
        (pod.SecurityContext.RunAsUser, pod.SecurityContext.FsGroup).ShouldBe((AdminSitePorts.AppUid, AdminSitePorts.AppUid));
        pod.SecurityContext.SeccompProfile.Type.ShouldBe("RuntimeDefault");
        pod.HostNetwork.ShouldBeNull();
        var container = pod.Containers.ShouldHaveSingleItem();
        container.SecurityContext.AllowPrivilegeEscalation.ShouldBe(false);
        container.SecurityContext.Privileged.ShouldBe(false);
        container.SecurityContext.ReadOnlyRootFilesystem.ShouldBe(true);
        container.SecurityContext.Capabilities.Drop.ShouldBe(["ALL"]);
        container.Resources.Limits["memory"].ToString().ShouldBe(plan.Tenant.Size.Job.MemoryLimit);
        pod.Volumes.ShouldAllBe(v => v.HostPath == null);
    }

    [Fact]
    public void The_upload_pod_mounts_only_the_backup_volume_and_has_no_credentials()
    {
        var plan = Plan(Kubernetes());

        var pod = ImportManifests.UploadPod(plan);

        pod.Metadata.Name.ShouldBe(plan.UploadPodName);
        pod.Metadata.NamespaceProperty.ShouldBe(plan.Tenant.Names.Namespace);
        // Not the backup workload: the NetworkPolicies give it no way out of the pod.
        pod.Metadata.Labels[TenantObjects.NameLabel].ShouldBe(ImportManifests.UploadWorkload);
        pod.Spec.Volumes.Select(v => v.Name).ShouldBe(["staging", "tmp"]);
        pod.Spec.Containers[0].Env.ShouldBeNull();
        pod.Spec.ActiveDeadlineSeconds.ShouldBe(ImportManifests.UploadPodDeadlineSeconds);
        // It mounts no /media: nothing ties it to the app's node.
        pod.Spec.Affinity.ShouldBeNull();
    }

    [Fact]
    public void The_yaml_kubectl_applies_holds_the_script_and_no_secret()
    {
        var plan = Plan(Kubernetes());

        var yaml = ImportManifests.Yaml(ImportManifests.ScriptConfigMap(plan), ImportManifests.Job(plan));

        var documents = new YamlStream();
        documents.Load(new StringReader(yaml));
        documents.Documents.Select(d => ((YamlScalarNode)((YamlMappingNode)d.RootNode)["kind"]).Value).ShouldBe(["ConfigMap", "Job"]);
        var script = (YamlMappingNode)((YamlMappingNode)documents.Documents[0].RootNode)["data"];
        ((YamlScalarNode)script["import.sh"]).Value.ShouldBe(TemplateRenderer.Source("import.sh"));
        var job = (YamlMappingNode)documents.Documents[1].RootNode;
        var container = (YamlMappingNode)((YamlSequenceNode)job["spec"]["template"]["spec"]["containers"]).Single();
        var password = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().Single(e => ((YamlScalarNode)e["name"]).Value == "PGPASSWORD");
        password.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ShouldBe(["name", "valueFrom"]);
        ((YamlScalarNode)password["valueFrom"]["secretKeyRef"]["name"]).Value.ShouldBe(TenantObjects.AppSecret);
    }

    [Fact]
    public void The_script_learns_what_to_do_from_the_plan()
    {
        var settings = (Plan(Kubernetes()) with { Replace = true }).Settings.ToDictionary();

        settings["IMPORT_REPLACE"].ShouldBe("yes");
        settings["IMPORT_MEDIA_STRIP_COMPONENTS"].ShouldBe("1");
        settings["MEDIA_DIR"].ShouldBe("/media");
        settings["IMPORT_STAGING_DIR"].ShouldBe("/staging/import-20250305-020000");
        settings["IMPORT_REPORT_TABLES"].Split(' ').ShouldContain("system_pc");
        Plan(Kubernetes()).Settings.ToDictionary()["IMPORT_REPLACE"].ShouldBe("no");
    }

    [Fact]
    public void The_report_is_read_from_the_scripts_lines()
    {
        var report = ImportReport.Parse("""
            import into database os2borgerpc on postgres:5432 as os2borgerpc
            report: table system_pc 40
            report: table system_batch absent
            report: media-files 3
            imported
            """);

        report.Tables.ShouldBe([new TableRows("system_pc", 40), new TableRows("system_batch", null)]);
        report.MediaFiles.ShouldBe(3);
        report.Refused.ShouldBeNull();
        ImportReport.Parse("refused: the database is not empty\r\nnothing was changed\r\n").Refused.ShouldBe("the database is not empty");
    }

    private Tenant Kubernetes() => Tenant(Hosting.Kubernetes);

    private Tenant Tenant(Hosting hosting) =>
        repository.Open().Load(hosting == Hosting.Azure ? StackFile.Azure() : StackFile.Kubernetes()).ShouldBeValid();

    private static ImportPlan Plan(Tenant tenant) => new(tenant, "20250305-020000", DumpFormat.Plain, Media, Replace: false);
}
