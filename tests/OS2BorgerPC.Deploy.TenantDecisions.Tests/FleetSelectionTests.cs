using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>Which stacks a fleet run works on, and what keeps it from starting.</summary>
public sealed class FleetSelectionTests : IDisposable
{
    private readonly TempRepository _repository = new();

    public FleetSelectionTests()
    {
        foreach (var (slug, code) in new[] { ("gamma", 147), ("alpha", 101), ("beta", 751) })
        {
            WithTenant(slug, t => t.Set("tenant.municipalityCodes", $"[{code}]"));
        }
    }

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Without_a_request_every_stack_is_selected_in_the_fleet_order()
    {
        var selection = Select();

        selection.Problems.ShouldBeEmpty(Loading.Describe(selection.Problems));
        selection.Stacks.ShouldBe(["alpha", "beta", "gamma"]);
    }

    [Fact]
    public void Requested_stacks_keep_the_fleet_order_and_appear_once()
    {
        var selection = Select("gamma", "alpha", "gamma");

        selection.Problems.ShouldBeEmpty(Loading.Describe(selection.Problems));
        selection.Stacks.ShouldBe(["alpha", "gamma"]);
    }

    [Fact]
    public void An_unknown_tenant_is_named_with_the_known_ones()
    {
        Select("alpha", "nosuch").Problems.ShouldHaveSingleItem().ShouldBe(new Problem("stacks/Pulumi.nosuch.yaml", "--tenant",
            "There is no tenant 'nosuch'.", "Use one of: alpha, beta, gamma ('tenant list' shows them)."));
    }

    [Fact]
    public void An_invalid_selected_stack_blocks_the_run_and_an_unselected_one_does_not()
    {
        WithTenant("delta", t => t.Set("tenant.size", "huge"));

        Select().Problems.ShouldHaveSingleItem().File.ShouldBe("stacks/Pulumi.delta.yaml");
        Select("delta").Problems.ShouldHaveSingleItem().Key.ShouldBe("os2borgerpc:tenant.size");
        Select("alpha").Problems.ShouldBeEmpty();
    }

    [Fact]
    public void A_clash_blocks_every_run()
    {
        WithTenant("delta", t => t.Set("tenant.municipalityCodes", "[751]"));

        // Both 'beta' and 'delta' claim 751; running 'alpha' alone is blocked as well, as the fleet is not coherent.
        Select("alpha").Problems.ShouldHaveSingleItem().Message.ShouldStartWith("Municipality 751 is also served by tenant 'beta'");
    }

    [Fact]
    public void An_empty_fleet_cannot_run()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(_repository.Root, "stacks")))
        {
            File.Delete(file);
        }

        var problem = Select().Problems.ShouldHaveSingleItem();

        problem.File.ShouldBe("stacks");
        problem.Fix.ShouldBe("Create one with 'tenant new'.");
    }

    [Fact]
    public void A_ring_selects_its_tenants_only_and_an_invalid_stack_file_still_blocks_the_run()
    {
        WithTenant("delta", t => t.Set("tenant.ring", "canary"));
        WithTenant("epsilon", t => t.Set("tenant.ring", "early"));

        var workspace = _repository.Open();
        FleetSelection.Select(workspace, FleetLoader.Load(workspace), [], RolloutRing.Canary).Stacks.ShouldBe(["delta"]);
        FleetSelection.Select(workspace, FleetLoader.Load(workspace), [], RolloutRing.Broad).Stacks.ShouldBe(["alpha", "beta", "gamma"]);
        FleetSelection.Select(workspace, FleetLoader.Load(workspace), ["alpha", "epsilon"], RolloutRing.Early).Stacks.ShouldBe(["epsilon"]);

        WithTenant("zeta", t => t.Set("tenant.size", "huge"));
        workspace = _repository.Open();
        FleetSelection.Select(workspace, FleetLoader.Load(workspace), [], RolloutRing.Canary).Problems.ShouldHaveSingleItem().File.ShouldBe("stacks/Pulumi.zeta.yaml");
    }

    private void WithTenant(string slug, Func<StackFile, StackFile> change) =>
        _repository.WithStack(slug, change(StackFile.Kubernetes(slug)).Text);

    private FleetSelection Select(params string[] requested)
    {
        var workspace = _repository.Open();
        return FleetSelection.Select(workspace, FleetLoader.Load(workspace), requested);
    }
}
