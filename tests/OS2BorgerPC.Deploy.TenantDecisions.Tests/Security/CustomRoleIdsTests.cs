using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Security;

/// <summary>
/// azurerm v4.80.0 role_definition_resource.go (create): CreateOrUpdate, then one Get with no retry; a replication-lag 404
/// orphans the definition and a rerun with a new random GUID gets 409 RoleDefinitionWithSameNameExists (pulumi/pulumi-azure#840,
/// hashicorp/terraform-provider-azurerm#19916). The foundation sets each definition's GUID itself, from these.
/// </summary>
public sealed class CustomRoleIdsTests
{
    [Fact]
    // RFC 9562's UUIDv5 as Python's uuid.uuid5 computes it: uuid5(NAMESPACE_DNS, "python.org").
    public void The_name_based_uuid_is_rfc_version_5() =>
        CustomRoleIds.NameBased(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org").ShouldBe(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"));

    [Fact]
    public void A_roles_guid_is_fixed_by_fleet_platform_and_role_and_differs_when_any_of_them_does()
    {
        // Pinned: a changed GUID would replace every custom role of every fleet.
        CustomRoleIds.For("os2borgerpc", "prod", "OS2BorgerPC Lock Operator").ShouldBe(new Guid("852784f8-bb52-5df4-a846-33b145d40a4f"));
        var guids = new[] { ("os2borgerpc", "prod", "OS2BorgerPC Lock Operator"), ("other", "prod", "OS2BorgerPC Lock Operator"),
            ("os2borgerpc", "test", "OS2BorgerPC Lock Operator"), ("os2borgerpc", "prod", "OS2BorgerPC Cluster Reader") }
            .Select(k => CustomRoleIds.For(k.Item1, k.Item2, k.Item3)).ToList();
        guids.ShouldBeUnique();
        CiIdentities.CustomRoles.Select(r => CustomRoleIds.For("os2borgerpc", "prod", r.Name)).ShouldBeUnique();
    }
}
