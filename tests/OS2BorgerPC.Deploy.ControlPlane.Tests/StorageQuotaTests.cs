using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.ControlPlane.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using Xunit.Abstractions;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests;

/// <summary>
/// The storage quota of a kubernetes tenant that still has the retired backups claim, as the API server's quota
/// admission counts it: the claim, the database instances' claims and an import's staging claim of the tier's
/// backup size all fit at once.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class StorageQuotaTests(Support.ControlPlane plane, ITestOutputHelper output)
{
    [ControlPlaneFact]
    public async Task An_import_staging_claim_fits_beside_the_retired_backups_claim()
    {
        var stack = TenantStacks.RetiredBackupsClaim;
        var (tenant, rollout) = await plane.RolledOut(stack, TenantStacks.StackFile(stack));
        output.WriteLine(rollout.ToString());
        rollout.Refusals.ShouldBeEmpty(string.Join("\n", rollout.Refusals));
        tenant.OfKind("PersistentVolumeClaim").Select(c => c.Name).Order().ShouldBe([TenantStorage.BackupClaim, TenantStorage.MediaClaim]);

        var restore = new RestoreOnCluster(plane.Api, tenant);
        const string staging = "import-staging-20261130-140500";
        try
        {
            var refusals = new List<Refusal>(await restore.StandIns.Instances(await restore.RunningCluster()));
            var sizeGiB = SizeProfile.For(SizeTier.Small).BackupStorageGiB;
            var claim = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "PersistentVolumeClaim",
                ["metadata"] = new JsonObject { ["name"] = staging, ["namespace"] = tenant.Namespace },
                ["spec"] = new JsonObject
                {
                    ["accessModes"] = new JsonArray("ReadWriteOnce"),
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = $"{sizeGiB}Gi" } },
                },
            }.ToJsonString();
            if (await plane.Api.ApplyAsync("v1", "PersistentVolumeClaim", tenant.Namespace, staging, claim, $"PersistentVolumeClaim {staging}") is { } refusal)
            {
                refusals.Add(refusal);
            }
            refusals.ShouldBeEmpty(string.Join("\n", refusals));
        }
        finally
        {
            await plane.Api.DeleteAsync("v1", "PersistentVolumeClaim", tenant.Namespace, staging);
            await restore.CleanUp();
        }
    }
}
