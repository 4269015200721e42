using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>
/// The data-safety resources as the program registers them: the CloudNativePG cluster and its backups, the off-site
/// backup CronJob, and on an azureBlob target the tenant's identity, container and immutability.
/// </summary>
[Collection(PulumiCollection.Name)]
public sealed class DataSafetyTests
{
    private const string Cluster = "kubernetes:postgresql.cnpg.io/v1:Cluster";
    private const string ScheduledBackup = "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup";
    private const string Identity = "azure:authorization/userAssignedIdentity:UserAssignedIdentity";
    private const string Federation = "azure:armmsi/federatedIdentityCredential:FederatedIdentityCredential";
    private const string BackupAccount = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-os2bpc-platform-prod-backup/providers/Microsoft.Storage/storageAccounts/stos2bpcbackupprod";

    /// <summary>aarhus in drill mode: its stack names faelles-it in backup.drillFrom, as restore-drill.yml's grant does.</summary>
    private static string DrillStack => RepositoryRoot.StackText("aarhus").Replace("    backup: {}", "    backup:\n      drillFrom: faelles-it");

    [Fact]
    public async Task The_database_is_a_cnpg_cluster_with_a_managed_login_and_continuous_backups_off_site()
    {
        var run = await StackHarness.RunShipped("demo");

        var spec = Map(run.InputsOf(Cluster, "database").Inputs["spec"]);
        spec["instances"].ShouldBe(1, "demo is small");
        spec["enableSuperuserAccess"].ShouldBe(false);
        var initdb = Map(Map(spec["bootstrap"])["initdb"]);
        (initdb["database"], initdb["owner"], Map(initdb["secret"])["name"]).ShouldBe(("os2borgerpc", "os2borgerpc", "database-login"));
        var role = Map(List(Map(spec["managed"])["roles"]).ShouldHaveSingleItem());
        (role["name"], role["login"], role["superuser"], Map(role["passwordSecret"])["name"]).ShouldBe(("os2borgerpc", true, false, "database-login"));
        spec.ShouldNotContainKey("backup");
        var plugin = Map(List(spec["plugins"]).ShouldHaveSingleItem());
        (plugin["name"], plugin["isWALArchiver"], Map(plugin["parameters"])["barmanObjectName"], Map(plugin["parameters"])["serverName"])
            .ShouldBe(("barman-cloud.cloudnative-pg.io", true, "offsite", "database"));
        var objectStore = Map(run.InputsOf("kubernetes:barmancloud.cnpg.io/v1:ObjectStore", "offsite").Inputs["spec"]);
        objectStore["retentionPolicy"].ShouldBe("10d");
        // The plugin's sidecar runs in every instance pod at a fixed budget the tenant's quota holds.
        Map(Map(objectStore["instanceSidecarConfiguration"])["resources"]).ShouldContainKey("limits");
        var store = Map(objectStore["configuration"]);
        store.ShouldNotContainKey("serverName");
        store["destinationPath"].ShouldBe("s3://os2borgerpc-backups/tenants/demo/cnpg");
        store["endpointURL"].ShouldBe("https://s3.backup.example.test");
        Map(Map(store["s3Credentials"])["accessKeyId"])["name"].ShouldBe("backup-s3-credentials");
        Map(store["wal"])["compression"].ShouldBe("gzip");
        // Deleting the Cluster would delete its volumes.
        var options = run.OptionsOf(Cluster, "database");
        (options.Protect, options.RetainOnDelete).ShouldBe((true, true));

        var scheduled = Map(run.InputsOf(ScheduledBackup, "base-backup").Inputs["spec"]);
        (scheduled["schedule"], Map(scheduled["cluster"])["name"], scheduled["immediate"]).ShouldBe(("0 0 2 * * *", "database", true));
        (scheduled["method"], Map(scheduled["pluginConfiguration"])["name"]).ShouldBe(("plugin", "barman-cloud.cloudnative-pg.io"));

        var login = run.Single<Secret>("login");
        (await login.Type.Value()).ShouldBe("kubernetes.io/basic-auth");
        (await login.StringData.Value())["password"].ShouldBe(TenantMocks.FakeSecretPrefix + "database-password");
        (await run.Resources.OfType<TenantStack>().Single().DatabaseHost.Value()).ShouldBe("database-rw");
    }

    [Fact]
    public async Task The_nightly_backup_dumps_then_uploads_off_site_with_every_credential_by_reference()
    {
        var run = await StackHarness.RunShipped("demo");

        var pod = (await run.Single<CronJob>("backup").Spec.Value()).JobTemplate.Spec.Template.Spec;
        pod.ServiceAccountName.ShouldBe("os2borgerpc-backup");
        var dump = pod.InitContainers.ShouldHaveSingleItem();
        (dump.Name, dump.Image, dump.Command[^1]).ShouldBe(("dump", "docker.io/library/postgres:17.6-bookworm", "/scripts/backup-dump.sh"));
        var upload = pod.Containers.ShouldHaveSingleItem();
        (upload.Name, upload.Image, upload.Command[^1]).ShouldBe(("upload", "docker.io/restic/restic:0.17.3", "/scripts/backup.sh"));
        var env = upload.Env.ToDictionary(e => e.Name);
        env["RESTIC_REPOSITORY"].Value.ShouldBe("s3:https://s3.backup.example.test/os2borgerpc-backups/tenants/demo/restic");
        // A lock another run holds is waited for, within a bound (restic --retry-lock: restic 0.16.0 and later; the image is 0.17.3).
        env["RESTIC_LOCK_WAIT"].Value.ShouldBe("30m");
        env["RESTIC_PASSWORD"].ValueFrom.SecretKeyRef.Name.ShouldBe("backup-repository");
        env["AWS_ACCESS_KEY_ID"].ValueFrom.SecretKeyRef.Name.ShouldBe("backup-s3-credentials");
        env["AWS_SECRET_ACCESS_KEY"].ValueFrom.SecretKeyRef.Key.ShouldBe("ACCESS_SECRET_KEY");
        upload.VolumeMounts.Single(m => m.Name == "media").ShouldSatisfyAllConditions(m => m.MountPath.ShouldBe("/backup/media"), m => m.ReadOnly.ShouldBe(true));
        pod.Volumes.Single(v => v.Name == "work").EmptyDir.SizeLimit.ShouldBe("10Gi");
        // The backups claim is the import's staging only: the backup never writes next to the data.
        pod.Volumes.ShouldNotContain(v => v.Name == "backups");
        var stack = run.Resources.OfType<TenantStack>().Single();
        (await stack.BackupRepositoryPassword.IsSecret()).ShouldBeTrue();
    }

    /// <summary>
    /// In drill mode (backup.drillFrom) the drill tenant reads its source's backups as an identity of its own in its own
    /// group, which only the drill's ServiceAccount can act as and which may read that container only; its backup identity
    /// keeps its own container. The identity is not retained: the revoke's delete of it is what ends the access.
    /// </summary>
    [Fact]
    public async Task A_drill_tenant_may_read_its_sources_backup_container_and_nothing_more()
    {
        var run = await StackHarness.Run("aarhus", DrillStack);

        var identity = run.InputsOf(Identity, "drill-identity").Inputs;
        identity["name"].ShouldBe("id-os2borgerpc-aarhus-drill-faelles-it");
        identity["resourceGroupName"].ShouldBe(run.InputsOf(Identity, "backup-identity").Inputs["resourceGroupName"]);
        identity["resourceGroupName"].ShouldBe(RepositoryRoot.Tenant("aarhus").Names.ResourceGroup);
        var drill = run.Single<Pulumi.Azure.Authorization.UserAssignedIdentity>("drill-identity");
        var (drillId, drillPrincipal, drillClient) = (await drill.Id.Value(), await drill.PrincipalId.Value(), await drill.ClientId.Value());

        // Its only federated subject: the drill's ServiceAccount of the drill tenant's namespace.
        run.Inputs.Where(i => i.Type == Federation && i.Inputs.GetValueOrDefault("parentId") as string == drillId).Select(i => i.Inputs["subject"])
            .ShouldBe(["system:serviceaccount:os2borgerpc-aarhus:os2borgerpc-drill-reader"]);
        // Its only role: read on the source's container.
        var roles = Assignments(run).Where(i => (string)i.Inputs["principalId"] == drillPrincipal).ToList();
        var reader = roles.ShouldHaveSingleItem().Inputs;
        reader["roleDefinitionName"].ShouldBe("Storage Blob Data Reader");
        reader["scope"].ShouldBe($"{BackupAccount}/blobServices/default/containers/tenant-faelles-it");
        // The backup identity keeps its own container only.
        var backupPrincipal = await run.Single<Pulumi.Azure.Authorization.UserAssignedIdentity>("backup-identity").PrincipalId.Value();
        Assignments(run).Where(i => (string)i.Inputs["principalId"] == backupPrincipal).Select(i => i.Inputs["scope"])
            .ShouldBe([$"{BackupAccount}/blobServices/default/containers/tenant-aarhus"]);
        // Deleted, not forgotten, when the drill ends: the identity and its credential.
        run.OptionsOf(Identity, "drill-identity").RetainOnDelete.ShouldBeFalse();
        run.OptionsOf(Federation, "drill-federation-os2borgerpc-drill-reader").RetainOnDelete.ShouldBeFalse();

        // The ServiceAccount the drill's restore Jobs run as, acting as the drill identity.
        var account = await run.Single<ServiceAccount>("drill-service-account").Metadata.Value();
        (account.Name, account.Namespace).ShouldBe(("os2borgerpc-drill-reader", "os2borgerpc-aarhus"));
        account.Annotations["azure.workload.identity/client-id"].ShouldBe(drillClient);
    }

    [Fact]
    public async Task Without_drill_from_there_is_no_drill_identity_role_or_service_account()
    {
        var run = await StackHarness.RunShipped("aarhus");

        run.Inputs.ShouldNotContain(i => i.Name.StartsWith("drill-", StringComparison.Ordinal));
        run.Inputs.Where(i => i.Type == Federation).Select(i => (string)i.Inputs["subject"]).ShouldNotContain(s => s.EndsWith(":os2borgerpc-drill-reader", StringComparison.Ordinal));
        Assignments(run).Select(i => i.Inputs["scope"]).ShouldBe([$"{BackupAccount}/blobServices/default/containers/tenant-aarhus"]);
    }

    /// <summary>
    /// The backup account and its group carry CanNotDelete locks, which refuse deleting a role assignment there while
    /// allowing new ones (MicrosoftDocs/azure-docs#110791; hashicorp/terraform-provider-azurerm#11770, #7668), and azurerm
    /// returns that refusal (v4.80.0 role_assignment_resource.go resourceArmRoleAssignmentDelete: only a 404 passes). Every
    /// argument of an assignment is ForceNew there, so a new principal (a replaced identity, the next drill) deletes the old
    /// one, as a destroy or a revoke does: each role under the account must be retained on delete (pulumi
    /// pkg/resource/deploy/step.go DeleteStep.Apply: no provider Delete when the old state has RetainOnDelete).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task No_role_under_the_locked_backup_account_is_ever_deleted_by_a_stack_change(bool drill)
    {
        var run = drill ? await StackHarness.Run("aarhus", DrillStack) : await StackHarness.RunShipped("aarhus");

        var underAccount = Assignments(run).Where(i => ((string)i.Inputs["scope"]).StartsWith(BackupAccount, StringComparison.OrdinalIgnoreCase)).ToList();
        underAccount.Select(i => i.Name).ShouldBe(drill ? ["backup-writer", "drill-reader"] : ["backup-writer"], ignoreOrder: true);
        foreach (var assignment in underAccount)
        {
            run.OptionsOf(assignment.Type, assignment.Name).RetainOnDelete.ShouldBeTrue(assignment.Name);
        }
    }

    [Fact]
    public async Task An_azure_backup_target_is_reached_by_workload_identity_with_no_key_and_no_right_to_delete_a_previous_version()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var container = run.Inputs.Single(i => i.Type == "azure:storage/container:Container").Inputs;
        container["name"].ShouldBe("tenant-aarhus");
        container["storageAccountId"].ShouldBe("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-os2bpc-platform-prod-backup/providers/Microsoft.Storage/storageAccounts/stos2bpcbackupprod");
        // A WORM policy would refuse restic's lock deletes and prune: the account's versions keep deleted blobs instead.
        run.Inputs.ShouldNotContain(i => i.Type == "azure:storage/containerImmutabilityPolicy:ContainerImmutabilityPolicy");
        var federation = run.Inputs.Single(i => i.Type == "azure:armmsi/federatedIdentityCredential:FederatedIdentityCredential" && i.Name.StartsWith("backup-federation-", StringComparison.Ordinal)).Inputs;
        federation["subject"].ShouldBe("system:serviceaccount:os2borgerpc-aarhus:os2borgerpc-backup");
        federation["issuer"].ShouldBe("https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/");
        var role = run.Inputs.Single(i => i.Type == "azure:authorization/assignment:Assignment" && i.Name == "backup-writer").Inputs;
        // Contributor deletes current blobs only; deleting a previous version takes deleteBlobVersion (Owner).
        role["roleDefinitionName"].ShouldBe("Storage Blob Data Contributor");
        // Its own container, by ARM ID: <backup account>/blobServices/default/containers/<container>.
        role["scope"].ShouldBe($"{container["storageAccountId"]}/blobServices/default/containers/{container["name"]}");

        // (The identity's client id is an output the mocks leave unknown, so the ServiceAccount's annotation is not seen here.)
        run.Single<ServiceAccount>("backup-service-account").ShouldNotBeNull();
        var template = (await run.Single<CronJob>("backup").Spec.Value()).JobTemplate.Spec.Template;
        template.Metadata.Labels["azure.workload.identity/use"].ShouldBe("true");
        var env = template.Spec.Containers.Single().Env.Select(e => e.Name).ToList();
        env.ShouldContain("AZURE_ACCOUNT_NAME");
        env.ShouldNotContain("AZURE_ACCOUNT_KEY");
        env.ShouldNotContain("AZURE_ACCOUNT_SAS");
    }

    /// <summary>
    /// The backup identity moved from the locked backup group to the tenant's (resource_group_name is ForceNew: azurerm v4.80.0
    /// vendor/github.com/hashicorp/go-azure-helpers/resourcemanager/commonschema/resource_group_name.go). The replacement creates the
    /// new identity and credentials and updates their dependents (the backup ServiceAccount, the protected CNPG cluster) in place;
    /// retainOnDelete makes the old ones' delete a forget (pulumi v3.x pkg/resource/deploy/step.go DeleteStep.Apply: no provider Delete
    /// when s.old.RetainOnDelete), so Azure never meets a delete in the locked group and no dependent leaves the state.
    /// </summary>
    [Fact]
    public async Task The_backup_identity_and_its_federated_credentials_are_forgotten_never_deleted_when_replaced()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var retained = new[] { "azure:authorization/userAssignedIdentity:UserAssignedIdentity", "azure:armmsi/federatedIdentityCredential:FederatedIdentityCredential" }
            .SelectMany(type => run.Inputs.Where(i => i.Type == type && i.Name.StartsWith("backup-", StringComparison.Ordinal)))
            .ToList();
        retained.Count.ShouldBeGreaterThanOrEqualTo(2);
        foreach (var resource in retained)
        {
            run.OptionsOf(resource.Type, resource.Name).RetainOnDelete.ShouldBeTrue(resource.Name);
        }
    }

    private static IEnumerable<RegisteredInputs> Assignments(StackRun run) => run.Inputs.Where(i => i.Type == "azure:authorization/assignment:Assignment");

    private static IDictionary<string, object> Map(object value) => (IDictionary<string, object>)value;

    private static IEnumerable<object> List(object value) => (IEnumerable<object>)value;
}
