using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>`tenant check`'s platform part: a tenant's platform must exist and be able to serve it.</summary>
public sealed class PlatformReferencesTests
{
    private static readonly PlatformReferences References = new(PlatformWorkspace.Open(RepositoryRoot.FullPath), RepositoryRoot.FullPath);

    private static Tenant Tenant(string stack, Func<string, string> edit)
    {
        var text = edit(RepositoryRoot.StackText(stack));
        return TenantLoader.Load(RepositoryRoot.Workspace().ReadStackText(stack, text)).OrThrow();
    }

    private static string WithoutOwnNetwork(string yaml) =>
        string.Join('\n', yaml.Split('\n').Where(line => !line.Contains("delegatedSubnetId:") && !line.Contains("privateDnsZoneId:")));

    [Theory]
    [InlineData("demo")]
    [InlineData("aarhus")]
    [InlineData("faelles-it")]
    public void Every_shipped_tenant_names_a_platform_that_can_serve_it(string stack) =>
        References.Problems(RepositoryRoot.Tenant(stack), $"stacks/Pulumi.{stack}.yaml").ShouldBeEmpty();

    /// <summary>
    /// What fleet drill --access reads: the platform's backup store, from its recorded facts (demo: S3) or its stack
    /// file (prod, the azure flavour: Azure Blob; the cluster flavour demo: S3); a missing platform is its problem.
    /// </summary>
    [Fact]
    public void The_backup_kind_comes_from_the_recorded_facts_or_the_platforms_stack_file()
    {
        References.BackupKind(RepositoryRoot.Tenant("demo"), "stacks/Pulumi.demo.yaml").ShouldBe((BackupTargetKind.S3, []));
        References.BackupKind(RepositoryRoot.Tenant("aarhus"), "stacks/Pulumi.aarhus.yaml").ShouldBe((BackupTargetKind.AzureBlob, []));
        var onDemo = Tenant("faelles-it", yaml => yaml.Replace("    cluster: {}", "    platform: {stack: organization/os2borgerpc-platform/demo}\n    cluster: {}"));
        References.BackupKind(onDemo, "stacks/Pulumi.faelles-it.yaml").Kind.ShouldBe(BackupTargetKind.S3);

        var elsewhere = Tenant("faelles-it", yaml => yaml.Replace("    cluster: {}", "    platform: {stack: acme/os2borgerpc-platform/staging}\n    cluster: {}"));
        var (kind, problems) = References.BackupKind(elsewhere, "stacks/Pulumi.faelles-it.yaml");
        kind.ShouldBeNull();
        problems.ShouldHaveSingleItem().Fix.ShouldContain("platform new staging");
    }

    [Fact]
    public void A_tenant_naming_a_platform_without_a_stack_file_is_told_how_to_make_one()
    {
        var tenant = Tenant("faelles-it", yaml => yaml.Replace("    cluster: {}", "    platform: {stack: acme/os2borgerpc-platform/staging}\n    cluster: {}"));

        var problem = References.Problems(tenant, "stacks/Pulumi.faelles-it.yaml").ShouldHaveSingleItem();

        problem.Key.ShouldBe("os2borgerpc:tenant.platform.stack");
        problem.Message.ShouldContain("stacks/platform/Pulumi.staging.yaml");
        problem.Fix.ShouldContain("platform new staging");
    }

    [Fact]
    public void An_azure_tenant_without_a_network_on_a_cluster_platform_is_inconsistent()
    {
        var tenant = Tenant("aarhus", yaml => WithS3Key(WithoutOwnNetwork(yaml).Replace("    cluster: {}", "    platform: {stack: organization/os2borgerpc-platform/demo}\n    cluster: {}")));

        References.Problems(tenant, "stacks/Pulumi.aarhus.yaml").ShouldHaveSingleItem().Message.ShouldContain("flavour cluster");
    }

    [Fact]
    public void A_tenant_moved_to_an_s3_platform_without_its_own_key_is_named_from_the_platforms_stack_file()
    {
        var tenant = Tenant("faelles-it", yaml => yaml.Replace("    cluster: {}", "    platform: {stack: organization/os2borgerpc-platform/demo}\n    cluster: {}"));

        var problem = References.Problems(tenant, "stacks/Pulumi.faelles-it.yaml").ShouldHaveSingleItem();

        problem.Key.ShouldBe("os2borgerpc:backupS3AccessKeyId");
        problem.Fix.ShouldContain("tenants/faelles-it/");
        References.Problems(Tenant("faelles-it", yaml => WithS3Key(yaml.Replace("    cluster: {}", "    platform: {stack: organization/os2borgerpc-platform/demo}\n    cluster: {}"))),
            "stacks/Pulumi.faelles-it.yaml").ShouldBeEmpty();
    }

    private static string WithS3Key(string yaml) =>
        yaml + "  os2borgerpc:backupS3AccessKeyId:\n    secure: v1:AAAA\n  os2borgerpc:backupS3SecretAccessKey:\n    secure: v1:BBBB\n";

    [Fact]
    public void An_azure_tenant_without_a_network_takes_the_azure_platforms()
    {
        var tenant = Tenant("aarhus", WithoutOwnNetwork);

        References.Problems(tenant, "stacks/Pulumi.aarhus.yaml").ShouldBeEmpty();
    }

    [Fact]
    public void A_missing_facts_file_is_named()
    {
        var tenant = Tenant("demo", yaml => yaml.Replace("stacks/platform/demo.facts.json", "stacks/platform/gone.facts.json"));

        References.Problems(tenant, "stacks/Pulumi.demo.yaml").ShouldHaveSingleItem().Key.ShouldBe("os2borgerpc:tenant.platform.factsFile");
    }
}
