using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using static OS2BorgerPC.Deploy.TenantDecisions.Tests.Support.StackFile;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>Every rule of a stack file: one bad value each, reported against the stack file and the exact key.</summary>
public sealed class TenantRuleTests(TempRepository repository) : IClassFixture<TempRepository>
{
    [Theory]
    // Unknown keys are never silently ignored; a case typo gets a suggestion.
    [InlineData("tenant.colour", "blue", "os2borgerpc:tenant.colour", "is not a known key")]
    [InlineData("tenant.Size", "small", "os2borgerpc:tenant.Size", "Did you mean 'size'?")]
    [InlineData("tenant.adminSite.versoin", "'7.1.0'", "os2borgerpc:tenant.adminSite.versoin", "is not a known key")]
    [InlineData("colour", "blue", "os2borgerpc:colour", "is not a known key")]
    // Missing and empty values.
    [InlineData("tenant", null, "os2borgerpc:tenant", "describes no tenant")]
    [InlineData("tenant", "hello", "os2borgerpc:tenant", "must be a mapping")]
    [InlineData("tenant.slug", null, "os2borgerpc:tenant.slug", "is missing")]
    [InlineData("tenant.displayName", null, "os2borgerpc:tenant.displayName", "is missing")]
    [InlineData("tenant.displayName", "'  '", "os2borgerpc:tenant.displayName", "is empty")]
    [InlineData("tenant.displayName", "2024", "os2borgerpc:tenant.displayName", "must be text")]
    [InlineData("tenant.hosting", null, "os2borgerpc:tenant.hosting", "is missing")]
    [InlineData("tenant.clientSourceRanges", null, "os2borgerpc:tenant.clientSourceRanges", "is missing")]
    [InlineData("tenant.clientSourceRanges", "[]", "os2borgerpc:tenant.clientSourceRanges", "is empty")]
    [InlineData("tenant.clientSourceRanges", "10.20.0.0/16", "os2borgerpc:tenant.clientSourceRanges", "must be a list")]
    // Slug: shape, and equal to the stack name.
    [InlineData("tenant.slug", "Test", "os2borgerpc:tenant.slug", "is not a valid slug")]
    [InlineData("tenant.slug", "-test", "os2borgerpc:tenant.slug", "is not a valid slug")]
    [InlineData("tenant.slug", "te--st", "os2borgerpc:tenant.slug", "is not a valid slug")]
    [InlineData("tenant.slug", "test-", "os2borgerpc:tenant.slug", "is not a valid slug")]
    [InlineData("tenant.slug", "other", "os2borgerpc:tenant.slug", "differs from the stack name 'test'")]
    // Host name.
    [InlineData("tenant.host", "https://test.borgerpc.dk", "os2borgerpc:tenant.host", "is not a valid host name")]
    [InlineData("tenant.host", "Test.borgerpc.dk", "os2borgerpc:tenant.host", "is not a valid host name")]
    [InlineData("tenant.host", "test_1.borgerpc.dk", "os2borgerpc:tenant.host", "is not a valid host name")]
    [InlineData("tenant.host", "borgerpc.dk/test", "os2borgerpc:tenant.host", "is not a valid host name")]
    [InlineData("tenant.host", "localhost", "os2borgerpc:tenant.host", "is not a valid host name")]
    // Client networks: CIDR with host bits zero.
    [InlineData("tenant.clientSourceRanges", "[10.20.0.1/16]", "os2borgerpc:tenant.clientSourceRanges", "'10.20.0.1/16' is not a network in CIDR notation")]
    [InlineData("tenant.clientSourceRanges", "[10.20.0.0]", "os2borgerpc:tenant.clientSourceRanges", "'10.20.0.0' is not a network in CIDR notation")]
    [InlineData("tenant.clientSourceRanges", "[10.20.0.0/33]", "os2borgerpc:tenant.clientSourceRanges", "is not a network in CIDR notation")]
    [InlineData("tenant.clientSourceRanges", "[banana]", "os2borgerpc:tenant.clientSourceRanges", "is not a network in CIDR notation")]
    // The whole internet only on purpose: the allow-list fails closed.
    [InlineData("tenant.clientSourceRanges", "[0.0.0.0/0]", "os2borgerpc:tenant.clientSourceRanges", "opens the admin site (and its unauthenticated /media) to the whole internet")]
    [InlineData("tenant.clientSourceRanges", "[10.20.0.0/16, '::/0']", "os2borgerpc:tenant.clientSourceRanges", "set os2borgerpc:tenant.public: true")]
    [InlineData("tenant.clientSourceRanges", "[]", "os2borgerpc:tenant.clientSourceRanges", "set os2borgerpc:tenant.public: true instead")]
    [InlineData("tenant.public", "true", "os2borgerpc:tenant.clientSourceRanges", "the list would have no effect")]
    [InlineData("tenant.public", "maybe", "os2borgerpc:tenant.public", "must be true or false")]
    // Admin-site release.
    [InlineData("tenant.adminSite.version", "'7.0.9'", "os2borgerpc:tenant.adminSite.version", "older than 7.1.0")]
    [InlineData("tenant.adminSite.version", "'6.12.3'", "os2borgerpc:tenant.adminSite.version", "older than 7.1.0")]
    [InlineData("tenant.adminSite.version", "'7.1'", "os2borgerpc:tenant.adminSite.version", "is not an exact version X.Y.Z")]
    [InlineData("tenant.adminSite.version", "v7.1.0", "os2borgerpc:tenant.adminSite.version", "is not an exact version X.Y.Z")]
    [InlineData("tenant.adminSite.version", "7.1.0-rc1", "os2borgerpc:tenant.adminSite.version", "is not an exact version X.Y.Z")]
    [InlineData("tenant.adminSite.version", "latest", "os2borgerpc:tenant.adminSite.version", "is not an exact version X.Y.Z")]
    [InlineData("tenant.adminSite.version", "07.1.0", "os2borgerpc:tenant.adminSite.version", "is not an exact version X.Y.Z")]
    [InlineData("tenant.adminSite.coreScriptsCommit", "6a96d19", "os2borgerpc:tenant.adminSite.coreScriptsCommit", "is not a full commit hash")]
    [InlineData("tenant.adminSite.coreScriptsCommit", "6A96D19567BF5C002C76D16CF80F6C894C2AF499", "os2borgerpc:tenant.adminSite.coreScriptsCommit", "is not a full commit hash")]
    [InlineData("tenant.adminSite.coreScriptsCommit", "6a96d19567bf5c002c76d16cf80f6c894c2af4990", "os2borgerpc:tenant.adminSite.coreScriptsCommit", "is not a full commit hash")]
    [InlineData("tenant.adminSite.coreScriptsCommit", "6a96d19567bf5c002c76d16cf80f6c894c2af49g", "os2borgerpc:tenant.adminSite.coreScriptsCommit", "is not a full commit hash")]
    [InlineData("tenant.adminSite.coreScriptsTag", "-v1.0.1", "os2borgerpc:tenant.adminSite.coreScriptsTag", "is not a git tag")]
    [InlineData("tenant.adminSite.coreScriptsTag", "'v1 .0.1'", "os2borgerpc:tenant.adminSite.coreScriptsTag", "is not a git tag")]
    // Choices.
    [InlineData("tenant.size", "huge", "os2borgerpc:tenant.size", "'huge' is not a known size")]
    [InlineData("tenant.size", "'2'", "os2borgerpc:tenant.size", "'2' is not a known size")]
    [InlineData("tenant.size", "'7'", "os2borgerpc:tenant.size", "'7' is not a known size")]
    [InlineData("tenant.size", "'small, large'", "os2borgerpc:tenant.size", "is not a known size")]
    [InlineData("tenant.size", "sMALL", "os2borgerpc:tenant.size", "is not a known size")]
    [InlineData("tenant.hosting", "aws", "os2borgerpc:tenant.hosting", "'aws' is not a known hosting")]
    [InlineData("tenant.hosting", "'1'", "os2borgerpc:tenant.hosting", "'1' is not a known hosting")]
    [InlineData("tenant.ring", "canaries", "os2borgerpc:tenant.ring", "'canaries' is not a known ring")]
    [InlineData("tenant.ring", "'0'", "os2borgerpc:tenant.ring", "'0' is not a known ring")]
    // Bootstrap admin.
    [InlineData("tenant.admin.email", "drift", "os2borgerpc:tenant.admin.email", "is not an e-mail address")]
    [InlineData("tenant.admin.email", "drift@borgerpc", "os2borgerpc:tenant.admin.email", "is not an e-mail address")]
    [InlineData("tenant.admin.email", "'drift @borgerpc.dk'", "os2borgerpc:tenant.admin.email", "is not an e-mail address")]
    [InlineData("tenant.admin.username", "'it drift'", "os2borgerpc:tenant.admin.username", "is not a valid Django user name")]
    // E-mail relay.
    [InlineData("tenant.email", "{host: smtp.test.dk, from: borgerpc}", "os2borgerpc:tenant.email.from", "is not an e-mail address")]
    [InlineData("tenant.email", "{host: 'smtp test', from: borgerpc@test.dk}", "os2borgerpc:tenant.email.host", "is not a valid host name")]
    [InlineData("tenant.email", "{from: borgerpc@test.dk}", "os2borgerpc:tenant.email.host", "is missing")]
    [InlineData("tenant.email", "{host: smtp.test.dk}", "os2borgerpc:tenant.email.from", "is missing")]
    [InlineData("tenant.email", "{host: smtp.test.dk, from: borgerpc@test.dk, port: 70000}", "os2borgerpc:tenant.email.port", "outside 1-65535")]
    [InlineData("tenant.email", "{host: smtp.test.dk, from: borgerpc@test.dk, username: borgerpc}", "os2borgerpc:tenant.email.username", "there is no e-mail password")]
    // SMTP only to the relay's addresses.
    [InlineData("tenant.email", "{host: smtp.test.dk, from: borgerpc@test.dk}", "os2borgerpc:tenant.email.relayCidrs", "is missing")]
    [InlineData("tenant.email", "{host: smtp.test.dk, from: borgerpc@test.dk, relayCidrs: []}", "os2borgerpc:tenant.email.relayCidrs", "is empty")]
    [InlineData("tenant.email", "{host: smtp.test.dk, from: borgerpc@test.dk, relayCidrs: [0.0.0.0/0]}", "os2borgerpc:tenant.email.relayCidrs", "to any address")]
    [InlineData("tenant.email", "{host: smtp.test.dk, from: borgerpc@test.dk, relayCidrs: [192.0.2.25]}", "os2borgerpc:tenant.email.relayCidrs", "'192.0.2.25' is not a network in CIDR notation")]
    [InlineData("tenant.email", "{host: smtp.test.dk, from: borgerpc@test.dk, relayCidrs: 192.0.2.25/32}", "os2borgerpc:tenant.email.relayCidrs", "must be a list")]
    // Backups.
    [InlineData("tenant.backup.schedule", "every night", "os2borgerpc:tenant.backup.schedule", "is not a five-field cron schedule")]
    [InlineData("tenant.backup.schedule", "'0 2 * *'", "os2borgerpc:tenant.backup.schedule", "is not a five-field cron schedule")]
    [InlineData("tenant.backup.schedule", "'0 0 2 * * *'", "os2borgerpc:tenant.backup.schedule", "is not a five-field cron schedule")]
    [InlineData("tenant.backup.schedule", "'61 2 * * *'", "os2borgerpc:tenant.backup.schedule", "is not a five-field cron schedule")]
    [InlineData("tenant.backup.retentionDays", "0", "os2borgerpc:tenant.backup.retentionDays", "is 0, outside 1-3650")]
    [InlineData("tenant.backup.drillFrom", "Aarhus Kommune", "os2borgerpc:tenant.backup.drillFrom", "is not a tenant's slug")]
    [InlineData("tenant.backup.drillFrom", "test", "os2borgerpc:tenant.backup.drillFrom", "names this tenant itself")]
    [InlineData("tenant.backup.retentionDays", "3651", "os2borgerpc:tenant.backup.retentionDays", "is 3651, outside 1-3650")]
    [InlineData("tenant.backup.retentionDays", "ten", "os2borgerpc:tenant.backup.retentionDays", "must be a whole number")]
    [InlineData("tenant.backup.databaseGeneration", "0", "os2borgerpc:tenant.backup.databaseGeneration", "is 0, outside 1-999")]
    [InlineData("tenant.backup.databaseGeneration", "two", "os2borgerpc:tenant.backup.databaseGeneration", "must be a whole number")]
    // Secrets: only the stack's own (os2borgerpc:emailPassword, the S3 backup key), and only as secure:.
    [InlineData("emailPassword", "hunter2", "os2borgerpc:emailPassword", "plain text")]
    [InlineData("backupS3AccessKeyId", "AKIAEXAMPLE", "os2borgerpc:backupS3AccessKeyId", "plain text")]
    [InlineData("backupS3SecretAccessKey", "wJalrXUtnFEMI", "os2borgerpc:backupS3SecretAccessKey", "plain text")]
    [InlineData("emailPassword", "{secure: 'v1:abc'}", "os2borgerpc:emailPassword", "the tenant has no e-mail relay")]
    [InlineData("backupS3AccessKeyId", "{secure: 'v1:abc'}", "os2borgerpc:backupS3SecretAccessKey", "an S3 key is the id and its secret together")]
    [InlineData("backupS3SecretAccessKey", "{secure: 'v1:abc'}", "os2borgerpc:backupS3AccessKeyId", "an S3 key is the id and its secret together")]
    [InlineData("tenant.backup.s3SecretAccessKey", "abc", "os2borgerpc:tenant.backup.s3SecretAccessKey", "looks like a secret in plain config")]
    [InlineData("tenant.smtpPassword", "{secure: 'v1:abc'}", "os2borgerpc:tenant.smtpPassword", "looks like a secret in plain config")]
    [InlineData("tenant.apiToken", "abc", "os2borgerpc:tenant.apiToken", "looks like a secret in plain config")]
    [InlineData("tenant.email", "{host: smtp.test.dk, from: borgerpc@test.dk, password: hunter2}", "os2borgerpc:tenant.email.password", "looks like a secret in plain config")]
    [InlineData("tenant.displayName", "{secure: 'v1:abc'}", "os2borgerpc:tenant.displayName", "is a secure value, but this key is not a secret")]
    [InlineData("tenant.displayName", "\"Aarhus\\nKommune\"", "os2borgerpc:tenant.displayName", "must be a single line")]
    // Azure settings on a tenant that is not hosted on Azure.
    [InlineData("tenant.azure", "{clusterEgressRanges: [20.50.1.10]}", "os2borgerpc:tenant.azure", "hosting is not azure")]
    // Municipality codes.
    [InlineData("tenant.municipalityCodes", "[9999]", "os2borgerpc:tenant.municipalityCodes", "'9999' is not a Danish municipality code")]
    [InlineData("tenant.municipalityCodes", "[abc]", "os2borgerpc:tenant.municipalityCodes", "'abc' is not a Danish municipality code")]
    [InlineData("tenant.municipalityCodes", "[751, 751]", "os2borgerpc:tenant.municipalityCodes", "751 is listed twice")]
    [InlineData("tenant.municipalityCodes", "[751, '751']", "os2borgerpc:tenant.municipalityCodes", "751 is listed twice")]
    // Locale, gateway, cluster.
    [InlineData("tenant.timeZone", "Mars/Olympus", "os2borgerpc:tenant.timeZone", "is not a known IANA time zone")]
    [InlineData("tenant.timeZone", "UTC", "os2borgerpc:tenant.timeZone", "is not a known IANA time zone")]
    [InlineData("tenant.language", "danish", "os2borgerpc:tenant.language", "is not a language code")]
    [InlineData("tenant.gateway.bodyLimitMiB", "0", "os2borgerpc:tenant.gateway.bodyLimitMiB", "outside 1-2048")]
    [InlineData("tenant.gateway.certificate", "letsencrypt", "os2borgerpc:tenant.gateway.certificate", "Use one of: platform, http01, staging, dns01")]
    [InlineData("tenant.gateway.className", "nginx", "os2borgerpc:tenant.gateway.className", "is not a known key")]
    // The retired ingress-nginx settings are named, not silently ignored.
    [InlineData("tenant.ingress", "{className: nginx}", "os2borgerpc:tenant.ingress", "is no longer read")]
    [InlineData("tenant.cluster.storageClass", "'fast ssd'", "os2borgerpc:tenant.cluster.storageClass", "is not a Kubernetes object name")]
    [InlineData("tenant.cluster.renderToDirectory", "/tmp/rendered", "os2borgerpc:tenant.cluster.renderToDirectory", "is an absolute path")]
    [InlineData("tenant.smokeCheck", "maybe", "os2borgerpc:tenant.smokeCheck", "must be true or false")]
    [InlineData("tenant.storage.retiredBackupsClaim", "maybe", "os2borgerpc:tenant.storage.retiredBackupsClaim", "must be true or false")]
    [InlineData("tenant.storage.backupsClaim", "true", "os2borgerpc:tenant.storage.backupsClaim", "is not a known key")]
    // The platform a tenant runs on.
    [InlineData("tenant.platform.stack", "prod", "os2borgerpc:tenant.platform.stack", "is not a fully qualified platform stack name")]
    [InlineData("tenant.platform.stack", "acme/os2borgerpc/prod", "os2borgerpc:tenant.platform.stack", "organization/os2borgerpc-platform/")]
    [InlineData("platformStack", "acme/prod", "os2borgerpc:platformStack", "is not a fully qualified platform stack name")]
    [InlineData("tenant.platform.factsFile", "/etc/facts.json", "os2borgerpc:tenant.platform.factsFile", "is not a JSON file relative to the repository")]
    [InlineData("tenant.platform.factsFile", "stacks/platform/demo.yaml", "os2borgerpc:tenant.platform.factsFile", "is not a JSON file relative to the repository")]
    [InlineData("tenant.platform.kubeconfig", "x", "os2borgerpc:tenant.platform.kubeconfig", "is not a known key")]
    // A fleet key overridden in the stack file is reported against the stack file, not Pulumi.yaml.
    [InlineData("adminSiteVersion", "7.0.0", "os2borgerpc:adminSiteVersion", "older than 7.1.0")]
    [InlineData("backupRetentionDays", "0", "os2borgerpc:backupRetentionDays", "outside 1-3650")]
    public void Kubernetes_tenant_rule(string path, string? yaml, string key, string says) =>
        repository.Open().Load(Kubernetes().Set(path, yaml)).ShouldReport(DisplayPath, key, says);

    [Theory]
    [InlineData("tenant.azure.clusterEgressRanges", "[]", "os2borgerpc:tenant.azure.clusterEgressRanges", "is empty")]
    [InlineData("tenant.azure.clusterEgressRanges", "[0.0.0.0/0]", "os2borgerpc:tenant.azure.clusterEgressRanges", "the whole internet")]
    [InlineData("tenant.azure.clusterEgressRanges", "[10.0.0.0/8]", "os2borgerpc:tenant.azure.clusterEgressRanges", "a network far larger")]
    [InlineData("tenant.azure.clusterEgressRanges", "[20.50.0.0/15]", "os2borgerpc:tenant.azure.clusterEgressRanges", "a network far larger")]
    [InlineData("tenant.azure.clusterEgressRanges", "[20.50.1.1/28]", "os2borgerpc:tenant.azure.clusterEgressRanges", "is not an IPv4 address or CIDR range")]
    [InlineData("tenant.azure.clusterEgressRanges", "['2001:db8::/64']", "os2borgerpc:tenant.azure.clusterEgressRanges", "is not an IPv4 address or CIDR range")]
    [InlineData("tenant.azure.clusterEgressRanges", "20.50.1.10", "os2borgerpc:tenant.azure.clusterEgressRanges", "must be a list")]
    // Both ways to reach the server at once.
    [InlineData("tenant.azure.delegatedSubnetId", SubnetId, "os2borgerpc:tenant.azure.clusterEgressRanges", "set together with private access")]
    [InlineData("tenant.azure", "{delegatedSubnetId: " + SubnetId + "}", "os2borgerpc:tenant.azure.privateDnsZoneId", "is missing")]
    [InlineData("tenant.azure", "{privateDnsZoneId: " + DnsZoneId + "}", "os2borgerpc:tenant.azure.delegatedSubnetId", "is missing")]
    [InlineData("tenant.azure", "{delegatedSubnetId: /subscriptions/x/subnets/y, privateDnsZoneId: " + DnsZoneId + "}", "os2borgerpc:tenant.azure.delegatedSubnetId", "is not a subnet resource ID")]
    [InlineData("tenant.azure", "{delegatedSubnetId: " + DnsZoneId + ", privateDnsZoneId: " + DnsZoneId + "}", "os2borgerpc:tenant.azure.delegatedSubnetId", "is not a subnet resource ID")]
    [InlineData("tenant.azure", "{delegatedSubnetId: " + SubnetId + ", privateDnsZoneId: " + SubnetId + "}", "os2borgerpc:tenant.azure.privateDnsZoneId", "is not a private DNS zone ID")]
    [InlineData("tenant.azure", "{delegatedSubnetId: " + SubnetId + ", privateDnsZoneId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/borgerpc.dk}", "os2borgerpc:tenant.azure.privateDnsZoneId", "is not a private DNS zone ID")]
    [InlineData("tenant.azure.location", "'West Europe'", "os2borgerpc:tenant.azure.location", "is not an Azure region name")]
    [InlineData("tenant.azure.location", "eastus", "os2borgerpc:tenant.azure.location", "outside the EU/EEA regions")]
    [InlineData("tenant.azure.location", "uksouth", "os2borgerpc:tenant.azure.location", "azure.outsideEeaApproval")]
    [InlineData("tenant.azure.backupRetentionDays", "6", "os2borgerpc:tenant.azure.backupRetentionDays", "outside 7-35")]
    [InlineData("tenant.azure.backupRetentionDays", "36", "os2borgerpc:tenant.azure.backupRetentionDays", "outside 7-35")]
    [InlineData("tenant.azure.geoRedundantBackup", "yes", "os2borgerpc:tenant.azure.geoRedundantBackup", "must be true or false")]
    [InlineData("tenant.azure.resourceGroup", "rg-mine", "os2borgerpc:tenant.azure.resourceGroup", "is not a known key")]
    // Only a kubernetes tenant ever had the backups claim; an azure tenant's backups are a file share.
    [InlineData("tenant.storage.retiredBackupsClaim", "true", "os2borgerpc:tenant.storage.retiredBackupsClaim", "hosting is azure")]
    public void Azure_tenant_rule(string path, string? yaml, string key, string says) =>
        repository.Open().Load(Azure().Set(path, yaml)).ShouldReport(DisplayPath, key, says);

    [Fact]
    public void A_region_outside_the_eea_is_accepted_only_with_a_named_approval() =>
        repository.Open().Load(Azure().Set("tenant.azure.location", "uksouth").Set("tenant.azure.outsideEeaApproval", "'DPO approval 2026-07'"))
            .Tenant!.Azure!.Location.ShouldBe("uksouth");

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var result = repository.Open().Load(Kubernetes()
            .Set("tenant.slug", "Bad Slug")
            .Set("tenant.size", "huge")
            .Set("tenant.adminSite.version", "'7.0.0'")
            .Set("tenant.backup.schedule", "nightly")
            .Set("tenant.colour", "blue")
            .Set("emailPassword", "hunter2"));

        result.Tenant.ShouldBeNull();
        // The plain-text password is two problems (plain text, and no relay to use it); one key each is enough here.
        result.Problems.Select(p => p.Key).Distinct().ShouldBe(
            [
                "os2borgerpc:tenant.slug", "os2borgerpc:tenant.size", "os2borgerpc:tenant.adminSite.version",
                "os2borgerpc:tenant.backup.schedule", "os2borgerpc:emailPassword", "os2borgerpc:tenant.colour",
            ],
            ignoreOrder: true);
        result.Problems.ShouldAllBe(p => p.File == DisplayPath && p.Fix.Length > 0);
    }
}
