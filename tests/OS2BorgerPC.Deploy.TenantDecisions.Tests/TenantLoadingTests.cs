using System.Net;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using static OS2BorgerPC.Deploy.TenantDecisions.Tests.Support.StackFile;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>Loading a stack file: fleet defaults from Pulumi.yaml, overridden by the stack file; unreadable files reported.</summary>
public sealed class TenantLoadingTests(TempRepository repository) : IClassFixture<TempRepository>
{
    [Fact]
    public void A_minimal_tenant_gets_the_fleet_defaults()
    {
        var tenant = repository.Open().Load(Kubernetes()).ShouldBeValid();

        tenant.Slug.ShouldBe("test");
        tenant.DisplayName.ShouldBe("Test Kommune");
        tenant.Host.ShouldBe("test.borgerpc.dk");
        tenant.AdminUrl.ShouldBe("https://test.borgerpc.dk/");
        tenant.Hosting.ShouldBe(Hosting.Kubernetes);
        tenant.Size.Tier.ShouldBe(SizeTier.Small);
        tenant.TimeZone.ShouldBe("Europe/Copenhagen");
        tenant.Language.ShouldBe("da-dk");
        tenant.Release.VersionText.ShouldBe("7.1.0");
        tenant.Release.Image.ShouldBe("ghcr.io/os2borgerpc/os2borgerpc-admin-site:7.1.0");
        tenant.Release.CoreScriptsTag.ShouldBe("v1.0.1");
        tenant.Release.CoreScriptsCommit.ShouldBe("6a96d19567bf5c002c76d16cf80f6c894c2af499");
        tenant.Admin.ShouldBe(new BootstrapAdmin("admin", "drift@borgerpc.dk"));
        tenant.Backup.ShouldBe(new BackupPolicy("0 2 * * *", 10));
        tenant.Gateway.ShouldBe(new GatewaySettings(100, CertificateChallenge.Platform));
        tenant.ClientSourceRanges.ShouldBe([IPNetwork.Parse("10.20.0.0/16")]);
        tenant.Public.ShouldBeFalse();
        tenant.MunicipalityCodes.ShouldBeEmpty();
        tenant.Email.ShouldBeNull();
        tenant.Azure.ShouldBeNull();
        tenant.SmokeCheck.ShouldBeTrue();
        tenant.Names.Namespace.ShouldBe("os2borgerpc-test");
    }

    [Fact]
    public void The_stack_file_overrides_the_fleet_defaults()
    {
        var tenant = repository.Open().Load(Kubernetes()
            .Set("tenant.host", "borgerpc.test.dk")
            .Set("tenant.size", "large")
            .Set("tenant.adminSite", "{version: '7.2.0', coreScriptsTag: v1.1.0, coreScriptsCommit: 0123456789abcdef0123456789abcdef01234567}")
            .Set("tenant.admin", "{username: root, email: it@test.dk}")
            .Set("tenant.backup", "{schedule: '30 3 * * 0', retentionDays: 30}")
            .Set("tenant.timeZone", "Europe/Berlin")
            .Set("tenant.language", "en")
            .Set("tenant.municipalityCodes", "[751, '101']")
            .Set("tenant.smokeCheck", "false")).ShouldBeValid();

        tenant.Host.ShouldBe("borgerpc.test.dk");
        tenant.Size.Tier.ShouldBe(SizeTier.Large);
        tenant.Release.ShouldBe(new AdminSiteRelease(new Version(7, 2, 0), "v1.1.0", "0123456789abcdef0123456789abcdef01234567"));
        tenant.Admin.ShouldBe(new BootstrapAdmin("root", "it@test.dk"));
        tenant.Backup.ShouldBe(new BackupPolicy("30 3 * * 0", 30));
        tenant.TimeZone.ShouldBe("Europe/Berlin");
        tenant.Language.ShouldBe("en");
        tenant.MunicipalityCodes.ShouldBe([751, 101]);
        tenant.SmokeCheck.ShouldBeFalse();
    }

    [Fact]
    public void A_fleet_key_in_the_stack_file_overrides_Pulumi_yaml()
    {
        // Pulumi keeps top-level stack values as text; the kit must still read them.
        var tenant = repository.Open().Load(Kubernetes()
            .Set("adminSiteVersion", "'7.3.1'")
            .Set("baseDomain", "borgerpc.example.dk")
            .Set("backupRetentionDays", "'21'")).ShouldBeValid();

        tenant.Release.VersionText.ShouldBe("7.3.1");
        tenant.Host.ShouldBe("test.borgerpc.example.dk");
        tenant.Backup.RetentionDays.ShouldBe(21);
    }

    [Fact]
    public void A_tenant_version_wins_over_a_fleet_version_in_the_stack_file()
    {
        var tenant = repository.Open().Load(Kubernetes()
            .Set("adminSiteVersion", "'7.3.1'")
            .Set("tenant.adminSite.version", "'7.2.0'")).ShouldBeValid();

        tenant.Release.VersionText.ShouldBe("7.2.0");
    }

    [Fact]
    public void A_tenants_own_s3_backup_key_is_accepted_as_two_secure_values()
    {
        repository.Open().Load(Kubernetes().WithBackupS3Key()).ShouldBeValid().Backup.HasS3Keys.ShouldBeTrue();
        repository.Open().Load(Kubernetes()).ShouldBeValid().Backup.HasS3Keys.ShouldBeFalse();
    }

    [Fact]
    public void Only_a_tenant_file_that_says_so_keeps_the_retired_backups_claim()
    {
        repository.Open().Load(Kubernetes()).ShouldBeValid().RetiredBackupsClaim.ShouldBeFalse("a tenant without the key never gets the claim");
        repository.Open().Load(Kubernetes().Set("tenant.storage.retiredBackupsClaim", "true")).ShouldBeValid().RetiredBackupsClaim.ShouldBeTrue();
        repository.Open().Load(Kubernetes().Set("tenant.storage.retiredBackupsClaim", "false")).ShouldBeValid().RetiredBackupsClaim.ShouldBeFalse();
    }

    [Fact]
    public void An_email_relay_with_a_secure_password_is_accepted()
    {
        var tenant = repository.Open().Load(Kubernetes()
            .Set("tenant.email", "{host: smtp.test.dk, port: 465, username: borgerpc, from: borgerpc@test.dk, relayCidrs: [192.0.2.25/32, 198.51.100.0/28]}")
            .Set("emailPassword", "{secure: 'v1:AAABBB'}")).ShouldBeValid();

        var email = tenant.Email.ShouldNotBeNull();
        (email.Host, email.Port, email.Username, email.From, email.HasPassword).ShouldBe(("smtp.test.dk", 465, "borgerpc", "borgerpc@test.dk", true));
        email.RelayCidrs.ShouldBe([IPNetwork.Parse("192.0.2.25/32"), IPNetwork.Parse("198.51.100.0/28")]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("[]")]
    [InlineData("[0.0.0.0/0]")]
    [InlineData("[0.0.0.0/0, '::/0']")]
    public void A_public_tenant_admits_every_address_on_purpose(string? ranges)
    {
        var tenant = repository.Open().Load(Kubernetes().Set("tenant.public", "true").Set("tenant.clientSourceRanges", ranges)).ShouldBeValid();

        tenant.Public.ShouldBeTrue();
        tenant.ClientSourceRanges.ShouldBe([IPNetwork.Parse("0.0.0.0/0"), IPNetwork.Parse("::/0")]);
    }

    [Fact]
    public void The_gateway_settings_are_read()
    {
        var tenant = repository.Open().Load(Kubernetes().Set("tenant.gateway", "{bodyLimitMiB: 20, certificate: dns01}")).ShouldBeValid();

        tenant.Gateway.ShouldBe(new GatewaySettings(20, CertificateChallenge.Dns01));
    }

    [Fact]
    public void An_azure_tenant_with_egress_ranges_gets_a_firewall()
    {
        var tenant = repository.Open().Load(Azure().Set("tenant.azure.clusterEgressRanges", "[20.50.1.10, 20.50.2.0/28]")).ShouldBeValid();

        var azure = tenant.Azure.ShouldNotBeNull();
        azure.Location.ShouldBe("westeurope");
        azure.DatabaseBackupRetentionDays.ShouldBe(14);
        azure.GeoRedundantBackup.ShouldBeFalse();
        azure.DatabaseNetwork.ShouldBeOfType<AzureDatabaseNetwork.Firewall>().ClusterEgressRanges
            .ShouldBe([IPNetwork.Parse("20.50.1.10/32"), IPNetwork.Parse("20.50.2.0/28")]);
    }

    [Fact]
    public void An_azure_tenant_with_a_delegated_subnet_gets_private_access()
    {
        var tenant = repository.Open().Load(Azure().Set("tenant.azure",
            $"{{delegatedSubnetId: {SubnetId}, privateDnsZoneId: {DnsZoneId}, clusterSubnetIds: [{NodeSubnetId}], clusterOidcIssuerUrl: '{OidcIssuer}', location: northeurope, backupRetentionDays: 35, geoRedundantBackup: true}}")).ShouldBeValid();

        var azure = tenant.Azure.ShouldNotBeNull();
        (azure.Location, azure.DatabaseNetwork, azure.DatabaseBackupRetentionDays, azure.GeoRedundantBackup)
            .ShouldBe(("northeurope", new AzureDatabaseNetwork.Private(SubnetId, DnsZoneId), 35, true));
        azure.ClusterSubnetIds.ShouldBe([NodeSubnetId]);
    }

    [Theory]
    // A misplaced indent, an unclosed quote, a key given twice: the problem points at the line.
    [InlineData("config:\n  os2borgerpc:tenant:\n    slug: test\n   displayName: x\n", 4, "The file is not valid YAML")]
    [InlineData("config:\n  os2borgerpc:tenant:\n    slug: test\n    displayName: \"Test\n", 4, "The file is not valid YAML")]
    [InlineData("config:\n  os2borgerpc:tenant:\n    slug: test\n    slug: other\n", 4, "The file is not valid YAML")]
    // Valid YAML, but a key no reader can take: a problem, not a crash.
    [InlineData("config:\n  ? [os2borgerpc, tenant]\n  : x\n", 2, "A key is a list or mapping")]
    [InlineData("config:\n  os2borgerpc:tenant:\n    slug: test\n    ? {a: b}\n    : x\n", 4, "A key is a list or mapping")]
    public void Invalid_yaml_names_the_file_and_line(string yaml, int line, string says)
    {
        repository.WithStack("broken", yaml);

        var entry = Fleet.FleetLoader.LoadStack(repository.Open(), "broken");

        var problem = entry.Result.Problems.ShouldHaveSingleItem();
        problem.File.ShouldBe("stacks/Pulumi.broken.yaml");
        problem.Key.ShouldStartWith($"(line {line},");
        problem.Message.ShouldStartWith(says);
    }

    [Theory]
    [InlineData("", "os2borgerpc:tenant", "describes no tenant")]
    [InlineData("config:\n  kubernetes:context: prod\n", "os2borgerpc:tenant", "describes no tenant")]
    [InlineData("- a list\n", "(file)", "is not a YAML mapping")]
    public void A_file_without_a_tenant_is_reported(string yaml, string key, string says) =>
        repository.Open().Load(yaml).ShouldReport(DisplayPath, key, says);
}
