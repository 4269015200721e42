using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary><c>fleet drill</c>: restore-drill.yml's choice of this month's tenant.</summary>
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
    public void Each_month_names_the_next_tenant_in_turn_never_the_drill_tenant()
    {
        _repository.Run("tenant", "new", "--name", "Restore drill", "--slug", "restore-drill", "--size", "large").ShouldSucceed();

        // 2026 * 12 is even: January takes the first slug, February the second.
        _repository.Run("fleet", "drill", "--month", "2026-01").ShouldSucceed().Output.Trim().ShouldBe("aarhus");
        _repository.Run("fleet", "drill", "--month", "2026-02").ShouldSucceed().Output.Trim().ShouldBe("odense");
        _repository.Run("fleet", "drill", "--month", "2026-03").ShouldSucceed().Output.Trim().ShouldBe("aarhus");
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
    public void A_month_that_is_not_yyyy_mm_is_refused() =>
        _repository.Run("fleet", "drill", "--month", "december").Error.ShouldContain("--month december: give a month as YYYY-MM");
}
