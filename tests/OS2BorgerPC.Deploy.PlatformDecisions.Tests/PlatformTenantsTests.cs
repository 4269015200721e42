using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Tests;

/// <summary>Which tenants a platform makes resource groups for and grants its CI identities rights at: the tenant files that name it.</summary>
public sealed class PlatformTenantsTests
{
    [Fact]
    public void A_platform_learns_its_tenants_from_the_stack_files_that_name_it()
    {
        var fleet = FleetLoader.Load(RepositoryRoot.Workspace());

        var (prod, problems) = PlatformTenants.On(fleet, "prod");
        problems.ShouldBeEmpty();
        // Each tenant's group is the one its own program used to make (a group's name and location force a new one).
        prod.Select(t => (t.Slug, t.Namespace, t.ResourceGroup, t.Location)).ShouldBe([
            ("aarhus", "os2borgerpc-aarhus", "rg-os2borgerpc-aarhus", "westeurope"),
            ("faelles-it", "os2borgerpc-faelles-it", "rg-os2borgerpc-faelles-it", null),
        ]);
        prod[0].Labels["os2borgerpc.dk/tenant"].ShouldBe("aarhus");
        PlatformTenants.On(fleet, "demo").Tenants.Select(t => t.Namespace).ShouldBe(["os2borgerpc-demo"]);
        PlatformTenants.On(fleet, "other").Tenants.ShouldBeEmpty();
    }

    [Fact]
    public void A_tenant_file_that_does_not_load_stops_the_grants_naming_the_file()
    {
        using var repository = new TempRepository()
            .WithStack("aarhus", RepositoryRoot.StackText("aarhus"))
            .WithStack("broken", "config:\n  os2borgerpc:tenant:\n    slug: broken\n");

        var (tenants, problems) = PlatformTenants.On(FleetLoader.Load(repository.Open()), "prod");

        tenants.ShouldBeEmpty();
        problems.ShouldNotBeEmpty();
        problems.ShouldAllBe(p => p.File == "stacks/Pulumi.broken.yaml");
    }

    [Fact]
    public void The_repository_is_found_from_the_platform_project_folder_and_a_folder_outside_it_is_refused()
    {
        using var repository = new TempRepository();

        PlatformTenants.RepositoryRoot(repository.Folder(TempRepository.PlatformProjectFolder)).ShouldBe(repository.Root);
        var refused = Should.Throw<InvalidConfigurationException>(() => PlatformTenants.RepositoryRoot(Path.GetTempPath()));
        refused.Problems.ShouldHaveSingleItem().Fix.ShouldContain("clone of the OS2BorgerPC.Deploy repository");
    }
}
