using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Security;

/// <summary>
/// Every CI identity that writes the one state container writes only its own projects' blobs. Sources: the DIY backend's
/// project-scoped layout (pulumi/pulumi pkg/backend/diy store.go, stack_tags.go, lock.go, backend.go CancelCurrentUpdate); the
/// blob path attribute and its writing actions (MicrosoftDocs/azure-docs articles/storage/blobs/storage-auth-abac-attributes.md).
/// </summary>
public sealed class StateWritesTests
{
    private static RoleGrant StateWrite(CiIdentity identity) =>
        identity.AzureRoles.Single(r => r.Role == CiIdentities.StateWriter.Name && r.Scope == RoleScope.StateContainer);

    [Fact]
    public void Each_identity_that_writes_state_holds_the_blob_role_only_under_its_own_projects_condition()
    {
        CiIdentities.All.Where(i => i.AzureRoles.Any(r => r.Role == CiIdentities.StateWriter.Name)).Select(i => i.Environment)
            .ShouldBe([CiIdentities.ProductionEnvironment, CiIdentities.PlatformEnvironment], ignoreOrder: true);
        StateWrite(CiIdentities.Production).Condition.ShouldBe(StateWrites.Condition([CiIdentities.TenantProject]));
        StateWrite(CiIdentities.Platform).Condition.ShouldBe(StateWrites.Condition([CiIdentities.PlatformProject]));
    }

    [Fact]
    public void The_condition_lets_the_four_writing_actions_through_only_under_the_projects_prefixes_and_every_read_through()
    {
        StateWrites.Condition([CiIdentities.PlatformProject]).ShouldBe(
            "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'}) AND "
            + "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'}) AND "
            + "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'}) AND "
            + "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action'})) OR ("
            + "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '.pulumi/stacks/os2borgerpc-platform/' OR "
            + "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '.pulumi/history/os2borgerpc-platform/' OR "
            + "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '.pulumi/backups/os2borgerpc-platform/' OR "
            + "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '.pulumi/journal/os2borgerpc-platform/' OR "
            + "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '.pulumi/locks/organization/os2borgerpc-platform/'))");
    }

    [Theory]
    // What a DIY up, stack tag set and cancel write for the tenants' project (Pulumi.yaml name os2borgerpc).
    [InlineData(CiIdentities.TenantProject, ".pulumi/stacks/os2borgerpc/aarhus.json", true)]
    [InlineData(CiIdentities.TenantProject, ".pulumi/stacks/os2borgerpc/aarhus.json.bak", true)]
    [InlineData(CiIdentities.TenantProject, ".pulumi/stacks/os2borgerpc/aarhus.pulumi-tags", true)]
    [InlineData(CiIdentities.TenantProject, ".pulumi/history/os2borgerpc/aarhus/aarhus-1733580000.history.json", true)]
    [InlineData(CiIdentities.TenantProject, ".pulumi/backups/os2borgerpc/aarhus/aarhus.1733580000.json", true)]
    [InlineData(CiIdentities.TenantProject, ".pulumi/locks/organization/os2borgerpc/aarhus/0b8c0f1e.json", true)]
    // os2borgerpc is a prefix of os2borgerpc-platform and os2borgerpc-foundation: the trailing slash keeps them apart.
    [InlineData(CiIdentities.TenantProject, ".pulumi/stacks/os2borgerpc-platform/prod.json", false)]
    [InlineData(CiIdentities.TenantProject, ".pulumi/stacks/os2borgerpc-foundation/prod.json", false)]
    [InlineData(CiIdentities.TenantProject, ".pulumi/meta.yaml", false)]
    [InlineData(CiIdentities.PlatformProject, ".pulumi/stacks/os2borgerpc-platform/prod.json", true)]
    [InlineData(CiIdentities.PlatformProject, ".pulumi/locks/organization/os2borgerpc-platform/prod/1.json", true)]
    [InlineData(CiIdentities.PlatformProject, ".pulumi/stacks/os2borgerpc/aarhus.json", false)]
    [InlineData(CiIdentities.PlatformProject, ".pulumi/stacks/os2borgerpc-foundation/prod.json", false)]
    [InlineData(CiIdentities.PlatformProject, ".pulumi/history/os2borgerpc-foundation/prod/prod-1.history.json", false)]
    public void An_identity_writes_only_its_own_projects_blobs(string project, string path, bool allowed) =>
        StateWrites.Allows([project], path).ShouldBe(allowed);

    [Fact]
    public void No_ci_condition_names_a_path_of_the_foundation_and_every_prefix_ends_in_a_slash()
    {
        var conditions = CiIdentities.All.SelectMany(i => i.AzureRoles).Where(r => r.Role == CiIdentities.StateWriter.Name).Select(r => r.Condition!).ToList();
        conditions.Count.ShouldBe(2);
        conditions.ShouldAllBe(c => !c.Contains(StateWrites.FoundationPulumiProject, StringComparison.Ordinal));
        string[] foundation = [CiIdentities.FoundationProject];
        CiIdentities.All.Where(i => i.AzureRoles.Any(r => r.Role == CiIdentities.StateWriter.Name))
            .SelectMany(i => StateWrites.PrefixesOf(i.Projects)).Where(p => StateWrites.Allows(foundation, p)).ShouldBeEmpty();
        StateWrites.PrefixesOf([CiIdentities.TenantProject, CiIdentities.PlatformProject, CiIdentities.FoundationProject]).ShouldAllBe(p => p.EndsWith('/'));
    }

    [Fact]
    public void A_state_write_grant_without_the_identitys_own_condition_is_refused()
    {
        var unconditioned = CiIdentities.Production with
        {
            AzureRoles = [.. CiIdentities.Production.AzureRoles.Select(r => r.Role == CiIdentities.StateWriter.Name ? r with { Condition = null } : r)],
        };
        var platformsPaths = CiIdentities.Production with
        {
            AzureRoles = [.. CiIdentities.Production.AzureRoles.Select(r => r.Role == CiIdentities.StateWriter.Name
                ? r with { Condition = StateWrites.Condition([CiIdentities.PlatformProject]) } : r)],
        };

        foreach (var identity in new[] { unconditioned, platformsPaths })
        {
            var problem = CiIdentities.Problems([identity]).ShouldHaveSingleItem();
            problem.Key.ShouldBe($"production: {CiIdentities.StateWriter.Name} on StateContainer");
            problem.Fix.ShouldContain("StateWrites.Condition");
        }
    }

    [Fact]
    public void The_state_writer_writes_blobs_only_never_the_container()
    {
        // Storage Blob Data Contributor's actions include containers/write and containers/delete (learn.microsoft.com built-in roles,
        // storage); the state writer keeps its blob data actions and only reads the container.
        CiIdentities.StateWriter.Actions.ShouldBe(["Microsoft.Storage/storageAccounts/blobServices/containers/read"]);
        CiIdentities.StateWriter.DataActions.ShouldAllBe(a => a.StartsWith("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/", StringComparison.Ordinal));
        CiIdentities.StateWriter.NonReads.ShouldBe(StateWrites.WriteActions, ignoreOrder: true);
        CiIdentities.All.SelectMany(i => i.AzureRoles).Where(r => r.Scope == RoleScope.StateContainer).Select(r => r.Role)
            .ShouldNotContain("Storage Blob Data Contributor");
    }
}
