using System.Security.Cryptography;
using System.Text;

namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>
/// The definition GUID of each custom role the foundation defines, fixed in advance. azurerm's role definition create does
/// CreateOrUpdate and then one Get with no retry (v4.80.0 internal/services/authorization/role_definition_resource.go, create): a
/// replication-lag 404 fails the run with the definition made but not in the state, and the rerun, with a fresh random GUID, gets
/// 409 RoleDefinitionWithSameNameExists (pulumi/pulumi-azure#840, hashicorp/terraform-provider-azurerm#19916). With the GUID
/// decided here (role_definition_id), a definition left out of the state is recovered by an import of a known ID (a plain rerun is not
/// enough: the create first reads the ID and, finding the definition, refuses with ResourceRequiresImport unless the provider's
/// import check is off, which the kit leaves on). The GUID depends on the fleet id and the platform's name, which never change.
/// </summary>
public static class CustomRoleIds
{
    /// <summary>The kit's UUIDv5 namespace: uuid5(NAMESPACE_URL, "https://github.com/OS2borgerPC/os2borgerpc-deploy/custom-roles").</summary>
    public static readonly Guid Namespace = new("67f3ddc1-8cf8-5b04-a611-60b7a9b860d6");

    /// <summary>The role's definition GUID on platform <paramref name="platform"/> of fleet <paramref name="fleetId"/>: stable across runs and machines.</summary>
    public static Guid For(string fleetId, string platform, string role) => NameBased(Namespace, $"{fleetId}/{platform}/{role}");

    /// <summary>A name-based UUID, version 5 (SHA-1), as RFC 9562 section 5.5 defines it.</summary>
    public static Guid NameBased(Guid ns, string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        ns.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
