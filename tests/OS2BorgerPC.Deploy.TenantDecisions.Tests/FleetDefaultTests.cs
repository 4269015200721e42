using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>An invalid fleet default is the fault of Pulumi.yaml, and is reported there, not in every stack file.</summary>
public sealed class FleetDefaultTests
{
    [Theory]
    [InlineData("adminSiteVersion", "7.0.0", "older than 7.1.0")]
    [InlineData("adminSiteVersion", "latest", "is not an exact version X.Y.Z")]
    [InlineData("baseDomain", "Borger PC", "is not a valid domain")]
    [InlineData("adminEmail", "drift", "is not an e-mail address")]
    [InlineData("coreScriptsTag", "-v1.0.1", "is not a git tag")]
    [InlineData("coreScriptsCommit", "6a96d19", "is not a full commit hash")]
    [InlineData("azureLocation", "West Europe", "is not an Azure region name")]
    [InlineData("backupSchedule", "nightly", "is not a five-field cron schedule")]
    [InlineData("backupRetentionDays", "0", "outside 1-3650")]
    [InlineData("timeZone", "Copenhagen", "is not a known IANA time zone")]
    [InlineData("language", "Danish", "is not a language code")]
    [InlineData("fleetId", "Fleet One", "is not a valid fleet id")]
    public void An_invalid_fleet_default_is_reported_against_Pulumi_yaml(string key, string value, string says)
    {
        using var repository = new TempRepository().WithFleetDefault(key, value);

        // An Azure tenant, so that every fleet default is read.
        repository.Open().Load(StackFile.Azure()).ShouldReport("Pulumi.yaml", $"os2borgerpc:{key}", says);
    }

    [Fact]
    public void The_shipped_fleet_defaults_are_valid()
    {
        // The control for the theory above: unchanged, the same tenant loads.
        using var repository = new TempRepository();

        repository.Open().Load(StackFile.Azure()).ShouldBeValid();
    }
}
