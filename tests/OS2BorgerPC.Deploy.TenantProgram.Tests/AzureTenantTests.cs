using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using Pulumi.Kubernetes.Networking.V1;
using Deployment = Pulumi.Kubernetes.Apps.V1.Deployment;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>Tenants with hosting azure: their own resource group, managed PostgreSQL server and storage account.</summary>
[Collection(PulumiCollection.Name)]
public sealed class AzureTenantTests
{
    internal const string Server = "azure:postgresql/flexibleServer:FlexibleServer";
    internal const string Account = "azure:storage/account:Account";
    internal const string Share = "azure:storage/share:Share";
    internal const string ResourceGroup = "azure:core/resourceGroup:ResourceGroup";
    internal const string Lock = "azure:management/lock:Lock";
    internal const string Database = "azure:postgresql/flexibleServerDatabase:FlexibleServerDatabase";
    private const string NodeSubnetId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/vnet-aks/subnets/snet-nodes";
    private const string OidcIssuer = "https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/";

    /// <summary>A municipality on azure as `tenant new --hosting azure` writes it, with public database access.</summary>
    internal static string AzureStackFile(Municipality municipality, params string[] egress) =>
        (NewTenant.For(municipality) with { Hosting = "azure", ClusterEgressRanges = egress, ClusterSubnetIds = [NodeSubnetId], ClusterOidcIssuerUrl = OidcIssuer })
            .RenderStackFile();

    [Fact]
    public async Task A_private_tenant_gets_its_own_server_in_the_delegated_subnet_with_tls_required()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var server = run.Inputs.Single(i => i.Type == Server).Inputs;
        server["name"].ShouldBe("psql-os2bpc-aarhus-51287a");
        server["resourceGroupName"].ShouldBe("rg-os2borgerpc-aarhus");
        server["version"].ShouldBe("16");
        server["skuName"].ShouldBe("GP_Standard_D4ds_v5", "aarhus is large");
        server["storageMb"].ShouldBe(131072);
        ((IDictionary<string, object>)server["highAvailability"])["mode"].ShouldBe("ZoneRedundant");
        server["publicNetworkAccessEnabled"].ShouldBe(false);
        ((string)server["delegatedSubnetId"]).ShouldEndWith("/subnets/snet-postgres");
        ((string)server["privateDnsZoneId"]).ShouldEndWith("os2borgerpc.postgres.database.azure.com");
        server["administratorLogin"].ShouldBe("os2borgerpc");
        server["backupRetentionDays"].ShouldBe(14);
        var tls = run.Inputs.Single(i => i.Type == "azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration").Inputs;
        tls["name"].ShouldBe("require_secure_transport");
        tls["value"].ShouldBe("on");
        run.Inputs.ShouldNotContain(i => i.Type == "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule");
        var database = run.Inputs.Single(i => i.Type == "azure:postgresql/flexibleServerDatabase:FlexibleServerDatabase").Inputs;
        database["name"].ShouldBe("os2borgerpc");
    }

    [Fact]
    public async Task The_admin_site_connects_to_its_server_with_the_generated_password_by_reference()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var env = (await run.Single<Deployment>("admin-site").Spec.Value()).Template.Spec.Containers
            .Single(c => c.Name == "admin-site").Env.ToDictionary(e => e.Name);
        env["DB_HOST"].Value.ShouldBe("psql-os2bpc-aarhus-51287a.postgres.database.azure.com");
        // The app's own role, with its own password; the server's administrator password is another, in the stack only.
        env["DB_USER"].Value.ShouldBe("os2borgerpc_app");
        env["DB_PASSWORD"].ValueFrom.SecretKeyRef.Key.ShouldBe("db-password");
        run.Inputs.Single(i => i.Type == Server).Inputs["administratorPassword"].ShouldBe(TenantMocks.FakeSecretPrefix + "database-administrator-password");
        (await run.Single<Pulumi.Kubernetes.Core.V1.Secret>("admin-site").StringData.Value())["db-password"]
            .ShouldBe(TenantMocks.FakeSecretPrefix + "database-password");
        var stack = run.Resources.OfType<TenantStack>().Single();
        (await stack.DatabaseHost.Value()).ShouldBe("psql-os2bpc-aarhus-51287a.postgres.database.azure.com");
        (await stack.ResourceGroup.Value()).ShouldBe("rg-os2borgerpc-aarhus");
    }

    [Fact]
    public async Task Media_and_backups_are_azure_files_shares_mounted_through_the_csi_driver()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var account = run.Inputs.Single(i => i.Type == Account).Inputs;
        account["name"].ShouldBe("os2bpcaarhus51287a");
        account["accountKind"].ShouldBe("StorageV2");
        account["httpsTrafficOnlyEnabled"].ShouldBe(true);
        account["minTlsVersion"].ShouldBe("TLS1_2");
        account["allowNestedItemsToBePublic"].ShouldBe(false);
        run.Inputs.Where(i => i.Type == Share).Select(i => i.Inputs["name"]).ShouldBe(["aarhus-media", "aarhus-backups"], ignoreOrder: true);

        var pod = (await run.Single<Deployment>("admin-site").Spec.Value()).Template.Spec;
        var media = pod.Volumes.Single(v => v.Name == "media").Csi;
        media.Driver.ShouldBe("file.csi.azure.com");
        media.VolumeAttributes["shareName"].ShouldBe("aarhus-media");
        media.VolumeAttributes["secretName"].ShouldBe("azure-files");
        pod.Containers.Single(c => c.Name == "admin-site").VolumeMounts.ShouldContain(m => m.Name == "media" && m.MountPath == "/media");
        // The backup share is the import's staging; the backup itself reads /media and uploads off-site.
        var backup = (await run.Single<Pulumi.Kubernetes.Batch.V1.CronJob>("backup").Spec.Value()).JobTemplate.Spec.Template.Spec;
        backup.Volumes.Single(v => v.Name == "media").Csi.VolumeAttributes["shareName"].ShouldBe("aarhus-media");
        run.Resources.OfType<Pulumi.Kubernetes.Core.V1.PersistentVolumeClaim>().ShouldBeEmpty();
        run.Resources.OfType<Pulumi.Kubernetes.Apps.V1.StatefulSet>().ShouldBeEmpty();
        var credentials = await run.Single<Pulumi.Kubernetes.Core.V1.Secret>("azure-files").StringData.Value();
        credentials["azurestorageaccountkey"].ShouldBe(TenantMocks.FakeSecretPrefix + "storage-key");
    }

    [Fact]
    public async Task Data_is_locked_in_azure_and_protected_in_pulumi()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var database = run.Resources.OfType<Pulumi.Azure.PostgreSql.FlexibleServerDatabase>().Single();
        var account = run.Resources.OfType<Pulumi.Azure.Storage.Account>().Single();
        var locks = run.Inputs.Where(i => i.Type == Lock).Select(i => i.Inputs).ToList();
        locks.ShouldAllBe(l => (string)l["lockLevel"] == "CanNotDelete");
        locks.Select(l => l["scope"]).ShouldBe([await database.Id.Value(), await account.Id.Value()], ignoreOrder: true);
        foreach (var (type, name) in new[] { (Server, "server"), (Database, "database"), (Account, "account"), (Share, "media"), (Share, "backups") })
        {
            var options = run.OptionsOf(type, name);
            options.Protect.ShouldBeTrue(name);
            options.RetainOnDelete.ShouldBeTrue(name);
        }
    }

    /// <summary>
    /// The tenant's group is its platform's (TenantResourceGroups): the deploying identity holds Contributor on that group only,
    /// so the tenant stack creates no group and puts every Azure resource of its own in that one.
    /// </summary>
    [Theory]
    [InlineData("aarhus")]
    [InlineData("faelles-it")]
    public async Task A_tenant_stack_makes_no_resource_group_and_keeps_its_azure_resources_in_the_one_its_platform_made(string slug)
    {
        var run = await StackHarness.RunShipped(slug);

        run.Inputs.ShouldNotContain(i => i.Type == ResourceGroup);
        var grouped = run.Inputs.Where(i => i.Inputs.ContainsKey("resourceGroupName")).ToList();
        grouped.ShouldNotBeEmpty();
        grouped.ShouldAllBe(i => (string)i.Inputs["resourceGroupName"] == $"rg-os2borgerpc-{slug}");
    }

    [Fact]
    public async Task The_admin_site_reaches_exactly_its_servers_subnet_and_no_in_cluster_database_policy_exists()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var egress = await run.Single<NetworkPolicy>("admin-site-egress").Spec.Value();
        var database = egress.Egress.Single(r => r.Ports.Single().Port.AsT0 == 5432);
        database.To.Single().IpBlock.Cidr.ShouldBe(TenantMocks.DelegatedSubnetCidr);
        run.Resources.OfType<NetworkPolicy>().ShouldNotContain(p => p.GetResourceName() == "postgres-ingress");
    }

    [Fact]
    public async Task A_public_server_admits_only_the_clusters_egress_addresses()
    {
        var municipality = MunicipalityRegister.Find(461)!;
        var yaml = AzureStackFile(municipality, "20.50.1.0/28", "51.105.2.7");

        var run = await StackHarness.Run(municipality.Slug, yaml);

        run.Inputs.Single(i => i.Type == Server).Inputs["publicNetworkAccessEnabled"].ShouldBe(true);
        var rules = run.Inputs.Where(i => i.Type == "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule")
            .Select(i => ((string)i.Inputs["startIpAddress"], (string)i.Inputs["endIpAddress"])).ToList();
        rules.ShouldBe([("20.50.1.0", "20.50.1.15"), ("51.105.2.7", "51.105.2.7")], ignoreOrder: true);
        rules.ShouldNotContain(r => r.Item1 == "0.0.0.0" || r.Item2 == "255.255.255.255");
    }

    [Fact]
    public async Task All_98_municipalities_on_azure_share_no_resource_group_server_account_or_share()
    {
        var names = new Dictionary<string, List<string>>();
        foreach (var municipality in MunicipalityRegister.All)
        {
            var run = await StackHarness.Run(municipality.Slug, AzureStackFile(municipality, "20.50.1.0/28"));
            SecurityControlTests.ShouldBeRestricted(run, municipality.Slug);
            foreach (var registered in run.Inputs.Where(i => i.Type is Server or Account or Share))
            {
                var name = $"{registered.Type}/{registered.Inputs["name"]}";
                names.TryAdd(name, []);
                names[name].Add(municipality.Slug);
            }
        }
        names.Where(n => n.Value.Count > 1).ShouldBeEmpty();
        names.Count.ShouldBe(98 * 4);
    }
}
