using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using static OS2BorgerPC.Deploy.TenantDecisions.Tests.Support.StackFile;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>A tenant on its platform: the platform's facts are the defaults, the tenant file's overrides win.</summary>
public sealed class PlatformInputsTests(TempRepository repository) : IClassFixture<TempRepository>
{
    private Tenant Load(StackFile stack) => repository.Open().Load(stack).ShouldBeValid();

    private static ResolvedTenant Resolve(Tenant tenant, PlatformFacts platform)
    {
        var (resolved, problems) = PlatformInputs.Resolve(tenant, platform, DisplayPath);
        problems.ShouldBeEmpty(Loading.Describe(problems));
        return resolved.ShouldNotBeNull();
    }

    private static StackFile AzureOnPlatform() => Kubernetes().Set("tenant.hosting", "azure");

    [Fact]
    public void A_tenant_names_the_fleets_platform_stack_unless_it_names_its_own()
    {
        Load(Kubernetes()).Platform.ShouldBe(new PlatformReference("organization/os2borgerpc-platform/prod", null));
        Load(Kubernetes().Set("tenant.platform", "{stack: acme/os2borgerpc-platform/test, factsFile: stacks/platform/test.facts.json}"))
            .Platform.ShouldBe(new PlatformReference("acme/os2borgerpc-platform/test", "stacks/platform/test.facts.json"));
        new PlatformReference("acme/os2borgerpc-platform/test", null).StackName.ShouldBe("test");
    }

    [Fact]
    public void A_tenant_without_overrides_takes_the_platforms_classes_and_context()
    {
        var resolved = Resolve(Load(Kubernetes().WithBackupS3Key()), RecordedPlatform.Cluster);

        resolved.Platform.ShouldBe(RecordedPlatform.Cluster);
    }

    [Fact]
    public void The_tenant_files_cluster_settings_win_over_the_platform()
    {
        var tenant = Load(Kubernetes().WithBackupS3Key().Set("tenant.cluster", "{context: other, storageClass: fast, sharedStorageClass: nfs}"));

        var platform = Resolve(tenant, RecordedPlatform.Cluster).Platform;

        platform.KubeContext.ShouldBe("other");
        platform.StorageClasses.ShouldBe(new StorageClasses("fast", "nfs"));
        platform.Gateway.ShouldBe(RecordedPlatform.Cluster.Gateway);
    }

    [Fact]
    public void An_azure_tenant_without_a_network_of_its_own_gets_the_platforms_delegated_subnet_and_zone()
    {
        var resolved = Resolve(Load(AzureOnPlatform()), RecordedPlatform.Azure);

        var azure = RecordedPlatform.Azure.Azure!;
        resolved.Tenant.Azure!.DatabaseNetwork.ShouldBe(new AzureDatabaseNetwork.Private(azure.PostgresSubnetId, azure.PostgresPrivateDnsZoneId));
        resolved.Tenant.Azure.ClusterSubnetIds.ShouldBe([azure.ClusterSubnetId]);
        resolved.Tenant.Azure.ClusterOidcIssuerUrl.ShouldBe(azure.OidcIssuerUrl);
        resolved.Platform.Azure.ShouldBe(azure);
    }

    [Fact]
    public void An_azure_tenants_own_private_network_wins_in_the_tenant_and_in_the_facts()
    {
        var tenant = Load(AzureOnPlatform().Set("tenant.azure", $"{{delegatedSubnetId: {SubnetId}, privateDnsZoneId: {DnsZoneId}}}"));

        var resolved = Resolve(tenant, RecordedPlatform.Azure);

        resolved.Tenant.Azure!.DatabaseNetwork.ShouldBe(new AzureDatabaseNetwork.Private(SubnetId, DnsZoneId));
        resolved.Platform.Azure!.PostgresSubnetId.ShouldBe(SubnetId);
        resolved.Platform.Azure.PostgresPrivateDnsZoneId.ShouldBe(DnsZoneId);
        resolved.Platform.Azure.EgressIps.ShouldBe(RecordedPlatform.Azure.Azure!.EgressIps);
    }

    [Fact]
    public void An_azure_tenants_own_firewall_stays_its_own()
    {
        var tenant = Load(Azure());

        Resolve(tenant, RecordedPlatform.Azure).Tenant.ShouldBeSameAs(tenant);
    }

    [Fact]
    public void An_azure_tenant_on_a_cluster_platform_without_a_network_of_its_own_is_refused_with_the_fix()
    {
        var (resolved, problems) = PlatformInputs.Resolve(Load(AzureOnPlatform().WithBackupS3Key()), RecordedPlatform.Cluster, DisplayPath);

        resolved.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        problem.File.ShouldBe(DisplayPath);
        problem.Key.ShouldBe("os2borgerpc:tenant.azure");
        problem.Message.ShouldContain("flavour cluster");
        problem.Fix.ShouldContain("clusterEgressRanges");
    }

    [Fact]
    public void An_azure_tenant_on_a_cluster_platform_without_its_storage_subnets_is_refused_so_its_storage_never_opens()
    {
        var stack = Azure().WithBackupS3Key().Set("tenant.azure.clusterSubnetIds", null).Set("tenant.azure.clusterOidcIssuerUrl", null);

        var (resolved, problems) = PlatformInputs.Resolve(Load(stack), RecordedPlatform.Cluster, DisplayPath);

        resolved.ShouldBeNull();
        var message = problems.ShouldHaveSingleItem().Message;
        message.ShouldContain("clusterSubnetIds");
        message.ShouldContain("clusterOidcIssuerUrl");
        message.ShouldNotContain("database network");
    }

    [Fact]
    public void An_azure_tenant_with_its_own_firewall_may_run_on_a_cluster_platform() =>
        Resolve(Load(Azure().WithBackupS3Key()), RecordedPlatform.Cluster).Platform.Azure.ShouldBeNull();

    [Fact]
    public void An_azure_tenant_in_another_region_than_the_platforms_subnet_is_refused()
    {
        var (_, problems) = PlatformInputs.Resolve(Load(AzureOnPlatform().Set("tenant.azure", "{location: northeurope}")), RecordedPlatform.Azure, DisplayPath);

        problems.ShouldHaveSingleItem().Key.ShouldBe("os2borgerpc:tenant.azure.location");
    }

    /// <summary>
    /// The deploying identity may only deploy into the tenant's own group, which the foundation (an operator's up) makes: a tenant
    /// whose group its platform's facts do not list is refused before anything is provisioned, not by AuthorizationFailed halfway.
    /// </summary>
    [Fact]
    public void An_azure_tenant_whose_group_the_foundation_has_not_made_is_refused_naming_the_operators_up()
    {
        var tenant = Load(AzureOnPlatform());
        var made = RecordedPlatform.Azure with { TenantResourceGroups = ["aarhus", tenant.Slug] };
        var missing = RecordedPlatform.Azure with { TenantResourceGroups = ["aarhus"] };

        Resolve(tenant, made).Tenant.Slug.ShouldBe(tenant.Slug);
        var (resolved, problems) = PlatformInputs.Resolve(tenant, missing, DisplayPath);

        resolved.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        (problem.File, problem.Key).ShouldBe((DisplayPath, "os2borgerpc:tenant.platform.stack"));
        problem.Message.ShouldContain($"rg-os2borgerpc-{tenant.Slug}");
        problem.Fix.ShouldContain("'pulumi up --stack prod' in infra/OS2BorgerPC.Deploy.FoundationProgram");
        // A kubernetes-hosted tenant has no group; a platform from before the foundation lists none and is not checked.
        Resolve(Load(Kubernetes()), missing with { Backup = RecordedPlatform.Azure.Backup }).ShouldNotBeNull();
        Resolve(tenant, RecordedPlatform.Azure with { TenantResourceGroups = null }).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("azure")]
    public void A_tenant_on_an_s3_platform_without_its_own_key_is_refused_with_the_fix_and_nothing_resolved(string hosting)
    {
        var stack = hosting == "azure" ? Azure() : Kubernetes();

        var (resolved, problems) = PlatformInputs.Resolve(Load(stack), RecordedPlatform.Cluster, DisplayPath);

        resolved.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        problem.File.ShouldBe(DisplayPath);
        problem.Key.ShouldBe("os2borgerpc:backupS3AccessKeyId");
        problem.Message.ShouldContain("its own key");
        problem.Fix.ShouldContain("tenants/test/");
        problem.Fix.ShouldContain("pulumi config set --secret os2borgerpc:backupS3AccessKeyId --stack test");
        problem.Fix.ShouldContain("pulumi config set --secret os2borgerpc:backupS3SecretAccessKey --stack test");
    }

    [Fact]
    public void A_tenant_on_an_azure_blob_platform_holds_no_s3_key_since_its_identity_reaches_the_store()
    {
        var (resolved, problems) = PlatformInputs.Resolve(Load(Azure().WithBackupS3Key()), RecordedPlatform.Azure, DisplayPath);

        resolved.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        problem.Key.ShouldBe("os2borgerpc:backupS3AccessKeyId");
        problem.Fix.ShouldContain("pulumi config rm os2borgerpc:backupS3AccessKeyId --stack test");
        Resolve(Load(Azure()), RecordedPlatform.Azure).Tenant.Backup.HasS3Keys.ShouldBeFalse();
    }

    [Fact]
    public void A_drill_source_on_an_s3_platform_is_refused_since_no_role_is_granted_there()
    {
        var (resolved, problems) = PlatformInputs.Resolve(Load(Kubernetes().WithBackupS3Key().Set("tenant.backup.drillFrom", "aarhus")), RecordedPlatform.Cluster, DisplayPath);

        resolved.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        problem.Key.ShouldBe("os2borgerpc:tenant.backup.drillFrom");
        problem.Message.ShouldContain("borrows aarhus's own key");
        Resolve(Load(Azure().Set("tenant.backup.drillFrom", "aarhus")), RecordedPlatform.Azure).Tenant.Backup.DrillFrom.ShouldBe("aarhus");
    }

    [Fact]
    public void The_demos_recorded_platform_facts_parse()
    {
        var demo = RepositoryRoot.Tenant("demo");

        var (facts, problems) = PlatformInputs.ReadFactsFile(RepositoryRoot.FullPath, demo.Platform, "stacks/Pulumi.demo.yaml");

        problems.ShouldBeEmpty(Loading.Describe(problems));
        facts!.Flavour.ShouldBe(PlatformFlavour.Cluster);
    }

    [Fact]
    public void A_missing_facts_file_is_named_with_how_to_record_it()
    {
        var (facts, problems) = PlatformInputs.ReadFactsFile(repository.Root, new PlatformReference("o/os2borgerpc-platform/x", "stacks/platform/x.facts.json"), DisplayPath);

        facts.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        problem.Key.ShouldBe("os2borgerpc:tenant.platform.factsFile");
        problem.Fix.ShouldContain("pulumi stack output tenantPlatform --json");
    }
}
