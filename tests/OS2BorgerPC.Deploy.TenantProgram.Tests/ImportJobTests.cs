using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Import;
using CronJob = Pulumi.Kubernetes.Batch.V1.CronJob;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>
/// The import job (applied by the CLI, not by the program) must reach the same database and mount the same
/// volumes as the program's backup job, for either hosting: both come from the same decisions.
/// </summary>
[Collection(PulumiCollection.Name)]
public sealed class ImportJobTests
{
    [Theory]
    [InlineData("faelles-it")]
    [InlineData("aarhus")]
    public async Task The_import_job_connects_and_mounts_as_the_programs_backup_job(string stack)
    {
        var run = await StackHarness.RunShipped(stack);
        var backup = (await run.Single<CronJob>("backup").Spec.Value()).JobTemplate.Spec.Template;
        var tenant = RepositoryRoot.Tenant(stack);

        var import = ImportManifests.Job(new ImportPlan(tenant, "20250305-020000", DumpFormat.Plain, new MediaArchive(1, 1, "", 0), Replace: false)).Spec.Template;

        // The program's backup reaches the database from its dump step.
        var programEnv = backup.Spec.InitContainers.Single(c => c.Name == "dump").Env.ToDictionary(e => e.Name);
        var importEnv = import.Spec.Containers.Single().Env.ToDictionary(e => e.Name);
        foreach (var name in new[] { "PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSSLMODE", "PGSSLROOTCERT" })
        {
            importEnv[name].Value.ShouldBe(programEnv[name].Value, name);
        }
        (importEnv["PGPASSWORD"].ValueFrom.SecretKeyRef.Name, importEnv["PGPASSWORD"].ValueFrom.SecretKeyRef.Key)
            .ShouldBe((programEnv["PGPASSWORD"].ValueFrom.SecretKeyRef.Name, programEnv["PGPASSWORD"].ValueFrom.SecretKeyRef.Key));
        import.Metadata.Labels["app.kubernetes.io/name"].ShouldBe(backup.Metadata.Labels["app.kubernetes.io/name"]);
        // The backup uploads off-site; the import's staging volume is its own.
        foreach (var volume in new[] { "media" })
        {
            var programVolume = backup.Spec.Volumes.Single(v => v.Name == volume);
            var importVolume = import.Spec.Volumes.Single(v => v.Name == volume);
            importVolume.PersistentVolumeClaim?.ClaimName.ShouldBe(programVolume.PersistentVolumeClaim?.ClaimName);
            importVolume.Csi?.Driver.ShouldBe(programVolume.Csi?.Driver);
            importVolume.Csi?.VolumeAttributes.ShouldBe(programVolume.Csi?.VolumeAttributes, ignoreOrder: true);
            (importVolume.PersistentVolumeClaim ?? (object?)importVolume.Csi).ShouldNotBeNull();
        }
    }
}
