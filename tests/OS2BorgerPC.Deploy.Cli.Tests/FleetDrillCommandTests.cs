using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary><c>fleet drill</c>: restore-drill.yml's choice of the day's tenant (RestoreDrills.TenantOn).</summary>
public sealed class FleetDrillCommandTests : IDisposable
{
    private readonly TempRepository _repository = new();

    public FleetDrillCommandTests()
    {
        _repository.Run("tenant", "new", "751").ShouldSucceed();
        _repository.Run("tenant", "new", "461").ShouldSucceed();
    }

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Each_month_names_the_next_tenant_in_turn_on_its_first_drill_day_never_the_drill_tenant()
    {
        _repository.Run("tenant", "new", "--name", "Restore drill", "--slug", "restore-drill", "--size", "large").ShouldSucceed();

        // Two tenants: one drill a month, on the 3rd. 2026 * 12 is even: January takes the first slug, February the second.
        _repository.Run("fleet", "drill", "--date", "2026-01-03").ShouldSucceed().Output.Trim().ShouldBe("aarhus");
        _repository.Run("fleet", "drill", "--date", "2026-02-03").ShouldSucceed().Output.Trim().ShouldBe("odense");
        _repository.Run("fleet", "drill", "--month", "2026-03").ShouldSucceed().Output.Trim().ShouldBe("2026-03-03\taarhus");
    }

    [Fact]
    public void A_day_without_a_drill_prints_no_tenant_and_says_when_the_drills_fall()
    {
        _repository.Run("tenant", "new", "--name", "Restore drill", "--slug", "restore-drill", "--size", "large").ShouldSucceed();

        var run = _repository.Run("fleet", "drill", "--date", "2026-01-04");

        run.ExitCode.ShouldBe(0);
        run.Output.Trim().ShouldBeEmpty();
        run.Error.ShouldContain("No restore drill on 2026-01-04: the month's 1 drills fall one a day from day 3 (fleet drill --month 2026-01)");
    }

    [Fact]
    public void A_tenant_asked_for_by_name_is_printed_only_if_the_drill_may_restore_it()
    {
        _repository.Run("tenant", "new", "--name", "Restore drill", "--slug", "restore-drill", "--size", "large").ShouldSucceed();

        _repository.Run("fleet", "drill", "--tenant", "odense").ShouldSucceed().Output.Trim().ShouldBe("odense");
        _repository.Run("fleet", "drill", "--tenant", "restore-drill").Error.ShouldContain("--tenant restore-drill: name a tenant of the fleet");
        _repository.Run("fleet", "drill", "--tenant", "vejle").ExitCode.ShouldBe(1);
    }

    [Fact]
    public void A_fleet_without_the_drill_tenant_is_refused_with_how_to_make_it()
    {
        var run = _repository.Run("fleet", "drill", "--month", "2026-01");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("There is no drill tenant 'restore-drill'");
        run.Error.ShouldContain("--slug restore-drill --size large");
    }

    [Fact]
    public void A_month_or_a_day_in_another_form_is_refused()
    {
        _repository.Run("tenant", "new", "--name", "Restore drill", "--slug", "restore-drill", "--size", "large").ShouldSucceed();

        _repository.Run("fleet", "drill", "--month", "december").Error.ShouldContain("--month december: give a month as YYYY-MM");
        _repository.Run("fleet", "drill", "--date", "3 december").Error.ShouldContain("--date 3 december: give a day as YYYY-MM-DD");
        _repository.Run("fleet", "drill", "--date", "2026-12-03", "--month", "2026-12").Error.ShouldContain("Give one of --date, --month, --tenant and --access.");
    }

    /// <summary>
    /// restore-drill.yml grants the drill tenant read on the tenant's container (backup.drillFrom, a pulumi up) only where
    /// this prints drillFrom: the default platform prod is azure (backups in Azure Blob); demo is a cluster with an S3 store.
    /// </summary>
    [Fact]
    public void The_access_is_drill_from_on_an_azure_blob_platform_and_the_lent_key_on_an_s3_one()
    {
        _repository.Run("tenant", "new", "--name", "Restore drill", "--slug", "restore-drill", "--size", "large").ShouldSucceed();
        _repository.Run("fleet", "drill", "--access", "aarhus").ShouldSucceed().Output.Trim().ShouldBe("drillFrom");

        using var s3 = new TempRepository().WithFleetDefault("platformStack", "organization/os2borgerpc-platform/demo");
        s3.Run("tenant", "new", "751").ShouldSucceed();
        s3.Run("tenant", "new", "--name", "Restore drill", "--slug", "restore-drill", "--size", "large").ShouldSucceed();
        s3.Run("fleet", "drill", "--access", "aarhus").ShouldSucceed().Output.Trim().ShouldBe("lentKey");
    }

    [Fact]
    public void The_access_to_a_tenant_of_another_platform_or_to_no_tenant_is_refused()
    {
        _repository.Run("tenant", "new", "--name", "Restore drill", "--slug", "restore-drill", "--size", "large").ShouldSucceed();
        var stack = File.ReadAllText(_repository.StackPath("aarhus"));
        stack.ShouldContain("    platform: {}\n");
        File.WriteAllText(_repository.StackPath("aarhus"), stack.Replace("    platform: {}\n", "    platform:\n      stack: organization/os2borgerpc-platform/demo\n"));

        var other = _repository.Run("fleet", "drill", "--access", "aarhus");
        other.ExitCode.ShouldBe(1);
        other.Error.ShouldContain("aarhus runs on platform 'organization/os2borgerpc-platform/demo', the drill tenant restore-drill on 'organization/os2borgerpc-platform/prod'");
        _repository.Run("fleet", "drill", "--access", "restore-drill").Error.ShouldContain("--access restore-drill: name a tenant of the fleet");
        _repository.Run("fleet", "drill", "--access", "vejle").ExitCode.ShouldBe(1);
    }
}
