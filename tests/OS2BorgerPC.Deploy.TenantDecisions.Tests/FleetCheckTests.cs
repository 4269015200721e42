using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>Rules across tenants: a clash is reported against the later stack file and names the other tenant.</summary>
public sealed class FleetCheckTests : IDisposable
{
    private readonly TempRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Two_tenants_may_not_share_a_host_name()
    {
        WithTenant("alpha", t => t.Set("tenant.host", "borgerpc.test.dk"));
        WithTenant("beta", t => t.Set("tenant.host", "borgerpc.test.dk"));

        var clash = Load().Clashes.ShouldHaveSingleItem();

        clash.File.ShouldBe("stacks/Pulumi.beta.yaml");
        clash.Key.ShouldBe("os2borgerpc:tenant.host");
        clash.Message.ShouldBe("The host name 'borgerpc.test.dk' is also that of tenant 'alpha' (stacks/Pulumi.alpha.yaml).");
    }

    [Fact]
    public void A_municipality_is_served_by_one_tenant_only()
    {
        WithTenant("alpha", t => t.Set("tenant.municipalityCodes", "[101, 751]"));
        WithTenant("beta", t => t.Set("tenant.municipalityCodes", "[751]"));
        WithTenant("gamma", t => t.Set("tenant.municipalityCodes", "[147, 751]"));

        var clashes = Load().Clashes;

        clashes.Select(c => c.File).ShouldBe(["stacks/Pulumi.beta.yaml", "stacks/Pulumi.gamma.yaml"]);
        clashes.ShouldAllBe(c => c.Key == "os2borgerpc:tenant.municipalityCodes"
            && c.Message == "Municipality 751 is also served by tenant 'alpha' (stacks/Pulumi.alpha.yaml).");
    }

    [Fact]
    public void A_clash_is_reported_against_the_member_given_later()
    {
        // tenant new passes the new tenant last, whatever its file name.
        WithTenant("alpha", t => t.Set("tenant.municipalityCodes", "[751]"));
        WithTenant("beta", t => t.Set("tenant.municipalityCodes", "[751]"));
        var members = Load().Members.ToList();

        var clash = FleetCheck.Clashes([members[1], members[0]]).ShouldHaveSingleItem();

        clash.File.ShouldBe("stacks/Pulumi.alpha.yaml");
        clash.Message.ShouldContain("tenant 'beta'");
    }

    [Fact]
    public void Distinct_tenants_make_a_valid_fleet()
    {
        WithTenant("alpha", t => t.Set("tenant.municipalityCodes", "[101]"));
        WithTenant("beta", t => t.Set("tenant.municipalityCodes", "[751]"));

        var report = Load();

        report.Problems.ShouldBeEmpty(Loading.Describe(report.Problems));
        report.Members.Select(m => m.Tenant.Host).ShouldBe(["alpha.borgerpc.dk", "beta.borgerpc.dk"]);
    }

    [Fact]
    public void An_invalid_stack_is_reported_and_left_out_of_the_clash_check()
    {
        WithTenant("alpha", t => t.Set("tenant.municipalityCodes", "[751]"));
        WithTenant("beta", t => t.Set("tenant.municipalityCodes", "[751]").Set("tenant.size", "huge"));

        var report = Load();

        report.Clashes.ShouldBeEmpty();
        report.Entries.Select(e => (e.Stack, e.Result.IsValid)).ShouldBe([("alpha", true), ("beta", false)]);
        report.Problems.ShouldHaveSingleItem().Key.ShouldBe("os2borgerpc:tenant.size");
    }

    [Fact]
    public void The_shipped_stacks_are_a_valid_fleet()
    {
        var report = FleetLoader.Load(RepositoryRoot.Workspace());

        report.Entries.ShouldNotBeEmpty();
        report.Problems.ShouldBeEmpty(Loading.Describe(report.Problems));
    }

    [Fact]
    public void A_drill_reads_the_backups_of_a_tenant_of_the_fleet_on_its_own_platform()
    {
        WithTenant("alpha", t => t.Set("tenant.municipalityCodes", "[101]"));
        WithTenant("beta", t => t.Set("tenant.municipalityCodes", "[751]").Set("tenant.backup.drillFrom", "alpha"));
        WithTenant("gamma", t => t.Set("tenant.municipalityCodes", "[147]").Set("tenant.backup.drillFrom", "omega"));
        WithTenant("delta", t => t.Set("tenant.municipalityCodes", "[161]").Set("tenant.platform.stack", "organization/os2borgerpc-platform/staging").Set("tenant.backup.drillFrom", "alpha"));

        var clashes = Load().Clashes;

        clashes.Select(c => (c.File, c.Key)).ShouldBe([("stacks/Pulumi.delta.yaml", "os2borgerpc:tenant.backup.drillFrom"), ("stacks/Pulumi.gamma.yaml", "os2borgerpc:tenant.backup.drillFrom")]);
        clashes[0].Message.ShouldContain("its backups are in another store");
        clashes[1].Message.ShouldBe("names 'omega', which is not a tenant of the fleet.");
    }

    private void WithTenant(string slug, Func<StackFile, StackFile> change) =>
        _repository.WithStack(slug, change(StackFile.Kubernetes(slug)).Text);

    private FleetReport Load() => FleetLoader.Load(_repository.Open());
}
