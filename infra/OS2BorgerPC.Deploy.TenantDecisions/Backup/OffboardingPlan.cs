using System.Globalization;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>What <c>tenant offboard</c> was asked.</summary>
/// <param name="Confirm">--confirm: the tenant's slug, repeated, to remove the off-site data; null: the plan only.</param>
/// <param name="FinalBackupAt">--final-backup: when the final backup was taken (as <c>tenant backups</c> lists it); the retention period runs from it.</param>
public sealed record OffboardingRequest(Tenant Tenant, string? Confirm, DateTimeOffset? FinalBackupAt, DateTimeOffset Now);

/// <summary>
/// The decision of one <c>tenant offboard</c>: the steps, in order, with their commands, and what stays billed until
/// when (printed always); and, only with <c>--confirm &lt;slug&gt;</c> and <c>--final-backup</c> once the retention
/// period after the final backup has passed, the removal of the tenant's off-site data (its restic repository and, in
/// the kubernetes hosting, CloudNativePG's base backups and WAL archive, all below the tenant's own container or prefix
/// of the platform's backup store). Without <c>--confirm</c> it is the plan only; with it but not naming the tenant,
/// without <c>--final-backup</c> or before the period ends, it is refused (no removal).
/// The order keeps the final backup the last thing written off-site: the nightly backups are suspended before it, the
/// tenant (and with it CloudNativePG's WAL archiving) is destroyed before the removal, so nothing re-creates what the
/// removal deletes. The removal needs only what is left then: the stack file (the tenant's names), the platform's
/// backup store and the operator's own login; not the repository's password, which goes with <c>pulumi stack rm</c>.
/// The hand-over copy is of the current data (a database dump and /media); it depends on no backup volume (import
/// staging has a short-lived claim of its own).
/// </summary>
public sealed record OffboardingPlan(IReadOnlyList<string> Steps, IReadOnlyList<string> Billed, IReadOnlyList<string> Refusals, IReadOnlyList<string> Removal)
{
    /// <summary>
    /// Days the off-site data is kept after the final backup: time for the municipality to check the hand-over copy
    /// and for a restore should it be unreadable; the same order as a nightly backup's retention.
    /// </summary>
    public const int RetentionDays = 30;

    /// <summary>
    /// How long the plan waits for the final backup: the backup Job's own deadline (the CronJob's
    /// <c>activeDeadlineSeconds</c>), so it never gives up on a backup that may still complete.
    /// </summary>
    public const int FinalBackupWaitSeconds = JobLimits.DeadlineSeconds;

    public bool Refused => Refusals.Count > 0;

    public static OffboardingPlan For(OffboardingRequest request)
    {
        var tenant = request.Tenant;
        var slug = tenant.Slug;
        var ns = tenant.Names.Namespace;
        var cnpg = tenant.Hosting == Hosting.Kubernetes;
        var folder = OffSiteFolder(tenant);
        var keptUntil = request.FinalBackupAt?.AddDays(RetentionDays);
        var until = keptUntil is { } date ? date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : $"{RetentionDays} days after the final backup";
        var steps = new List<string>
        {
            "Agree the date and the hand-over with the municipality in writing.",
            $"Stop the nightly backups, so the final backup stays the last: kubectl -n {ns} patch cronjob {TenantObjects.Backup} -p '{{\"spec\":{{\"suspend\":true}}}}' (the stack sets no suspend, so an up keeps it; should the offboarding be called off, patch it back to false). "
                + $"Then the final backup: kubectl -n {ns} create job --from=cronjob/{TenantObjects.Backup} offboard-final && kubectl -n {ns} wait --for=condition=complete job/offboard-final --timeout={FinalBackupWaitSeconds}s (the backup Job's own deadline); note its time ('tenant backups {slug}'): the retention period runs from it.",
            $"Hand-over copy of the current data: stop the admin site (kubectl -n {ns} scale deployment/{TenantObjects.AdminSite} --replicas=0) and start the hand-over pod, handover (docs/RUNBOOK.md, \"Offboarding a tenant\", step 3: it mounts {RestoreJob.MediaPath} and reaches the database, no backup volume{(cnpg ? "" : "; PGHOST the Azure server")}); then the database: kubectl -n {ns} exec handover -c database -- pg_dump --format=custom --no-password > {slug}-database.dump; and {RestoreJob.MediaPath}: kubectl -n {ns} exec handover -c media -- tar -C {RestoreJob.MediaPath} -cf - . > {slug}-media.tar; delete the pod. The admin site stays stopped: the municipality has left.",
            $"Keep the tenant deployed until {until}: its stack holds the restic repository's password, so 'tenant restore {slug}' still works should the hand-over copy prove unreadable (after 'pulumi stack rm' the repository could no longer be read).",
            $"On or after {until}, remove the tenant: pulumi state unprotect --all --stack {slug}; pulumi destroy --stack {slug} (the workloads go{(cnpg ? ", CloudNativePG's WAL archiving with them" : "")}: nothing writes off-site any more; the data objects and the off-site data stay).",
            $"Delete the retained data by hand (docs/RUNBOOK.md, \"Offboarding a tenant\", step 6): kubectl delete namespace {ns}, and any volume a Retain StorageClass kept; hosting azure or an azure platform: the resource group {tenant.Names.ResourceGroup}, its delete locks first.",
            $"Then: tenant offboard {slug} --final-backup <its time> --confirm {slug} prints the removal of the off-site data ({folder}); run it. It needs the stack file (still there), the backup account or bucket ('platform show') and your own login allowed to delete there; not the repository's password.",
            $"Last: pulumi stack rm {slug}; a pull request deleting stacks/Pulumi.{slug}.yaml.",
        };
        var billed = new List<string>
        {
            $"Until the removal (not before {until}): the tenant's off-site data in the platform's backup store ({folder}), per GB stored; "
                + "Azure Blob keeps a deleted container soft-deleted, and billed, for the backup account's delete-retention days ('platform show' lists them).",
            tenant.Hosting == Hosting.Azure
                ? $"Until its resource group {tenant.Names.ResourceGroup} is deleted: the flexible server, its storage and the storage account, and any temporary point-in-time server 'tenant restore --at' left ({AzurePointInTime.ServerNamePattern(tenant)}; az postgres flexible-server list --resource-group {tenant.Names.ResourceGroup}); the admin site's pods on the cluster until the destroy."
                : "Until the namespace is deleted: its pods and volumes (database and /media), and any volume a Retain StorageClass keeps ('kubectl get pv').",
            "Nothing else: the platform (cluster, gateway, backup account) is shared and stays.",
        };

        var refusals = new List<string>();
        var removal = new List<string>();
        if (request.Confirm is { } confirm)
        {
            if (confirm != slug)
            {
                refusals.Add($"--confirm '{confirm}' does not name this tenant: removing the off-site data cannot be undone; repeat its slug, --confirm {slug}. No removal printed.");
            }
            if (keptUntil is null)
            {
                refusals.Add($"Say when the final backup was taken (--final-backup <time>, as 'tenant backups {slug}' lists it): the off-site data is kept {RetentionDays} days after it. No removal printed.");
            }
            else if (request.Now < keptUntil)
            {
                refusals.Add($"The off-site data is kept until {until} ({RetentionDays} days after the final backup); it is {request.Now:yyyy-MM-dd}. No removal printed.");
            }
            if (refusals.Count == 0)
            {
                removal.AddRange(RemovalCommands(tenant));
            }
        }
        return new OffboardingPlan(steps, billed, refusals, removal);
    }

    /// <summary>The tenant's own folder of the off-site store, the restic repository and the CloudNativePG archive both below it (<see cref="OffSiteBackup"/>).</summary>
    public static string OffSiteFolder(Tenant tenant) =>
        $"Azure Blob: container {OffSiteBackup.ContainerName(tenant)} of the backup account; S3: prefix {OffSiteBackup.S3Prefix(tenant.Slug)}/ of the backup bucket;"
        + (tenant.Hosting == Hosting.Kubernetes ? " restic/ (the repository) and cnpg/ (base backups and WAL archive)" : " restic/ (the repository)");

    private static IEnumerable<string> RemovalCommands(Tenant tenant) =>
    [
        "Azure Blob target (the account as 'platform show' lists it):",
        $"  az storage container delete --account-name <backup account> --name {OffSiteBackup.ContainerName(tenant)} --auth-mode login",
        "S3 target (bucket and endpoint as 'platform show' lists them):",
        $"  aws s3 rm s3://<bucket>/{OffSiteBackup.S3Prefix(tenant.Slug)}/ --recursive --endpoint-url <endpoint>",
    ];
}
