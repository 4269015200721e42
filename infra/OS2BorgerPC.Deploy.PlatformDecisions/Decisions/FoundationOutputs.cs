using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>
/// What the foundation stack (infra/OS2BorgerPC.Deploy.FoundationProgram, run by an operator) hands its platform stack:
/// exported as one structured output, <see cref="OutputName"/>, and read by the platform program through a StackReference
/// (<see cref="StackName"/>). ARM IDs and principal IDs only: no credential.
/// </summary>
/// <param name="PlatformResourceGroupId">The platform's resource group, which the foundation makes and the platform fills.</param>
/// <param name="BackupAccountId">The off-site backup account (tenants' facts carry it).</param>
/// <param name="CiPrincipalIds">Each CI identity's principal (object) ID, by GitHub environment: whom the platform's grants name.</param>
/// <param name="RoleDefinitionIds">Each custom role's resource ID (<c>/subscriptions/&lt;id&gt;/providers/Microsoft.Authorization/roleDefinitions/&lt;guid&gt;</c>), by role name.</param>
/// <param name="TenantResourceGroupIds">Each tenant resource group the foundation made, by tenant slug: where an azure tenant may deploy.</param>
public sealed record FoundationOutputs(
    string PlatformResourceGroup,
    string PlatformResourceGroupId,
    string BackupAccountId,
    ImmutableSortedDictionary<string, string> CiPrincipalIds,
    ImmutableSortedDictionary<string, string> RoleDefinitionIds,
    ImmutableSortedDictionary<string, string> TenantResourceGroupIds)
{
    /// <summary>The foundation stack output holding these (JSON object, camelCase).</summary>
    public const string OutputName = "platformFoundation";

    /// <summary>The foundation program's Pulumi project (its Pulumi.yaml).</summary>
    public const string ProjectName = StateWrites.FoundationPulumiProject;

    /// <summary>Where the foundation program lives: what an operator runs <c>pulumi up</c> in.</summary>
    public const string ProjectFolder = "infra/OS2BorgerPC.Deploy.FoundationProgram";

    /// <summary>
    /// The foundation stack that serves platform stack <paramref name="platformStack"/>: the same stack name in the foundation
    /// project (DIY backend: organization/&lt;project&gt;/&lt;stack&gt;), so one <c>--stack</c> names both.
    /// </summary>
    public static string StackName(string platformStack) => $"organization/{ProjectName}/{platformStack}";

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>
    /// The foundation's recorded <see cref="OutputName"/> output, or the problem naming why the platform cannot run on it (no
    /// foundation yet, an older foundation): never a partial record.
    /// </summary>
    /// <param name="platformStack">The platform stack that reads it (and the foundation's stack name).</param>
    public static (FoundationOutputs? Outputs, Problem? Problem) Parse(string platformStack, JsonNode? output)
    {
        var source = $"foundation stack {StackName(platformStack)}";
        var fix = $"An operator runs 'pulumi up --stack {platformStack}' in {ProjectFolder} (as Owner of the subscription) from this commit of the kit, then the platform's up.";
        if (output is not JsonObject)
        {
            return (null, new Problem(source, $"output {OutputName}", "is missing: the foundation of this platform has not been made.", fix));
        }
        try
        {
            var outputs = output.Deserialize<FoundationOutputs>(Json);
            if (outputs is null)
            {
                return (null, new Problem(source, $"output {OutputName}", "is empty.", fix));
            }
            // A foundation from an older kit may lack a role or an identity this platform names: refused here, not halfway.
            var missingRoles = RolesItDefines.Select(r => r.Name).Where(role => !outputs.RoleDefinitionIds.ContainsKey(role)).ToList();
            if (missingRoles.Count > 0)
            {
                return (null, new Problem(source, $"output {OutputName}.roleDefinitionIds", $"lacks {string.Join(", ", missingRoles)}.", fix));
            }
            var missingIdentities = CiIdentities.All.Select(i => i.Environment).Where(e => !outputs.CiPrincipalIds.ContainsKey(e)).ToList();
            return missingIdentities.Count > 0
                ? (null, new Problem(source, $"output {OutputName}.ciPrincipalIds", $"lacks {string.Join(", ", missingIdentities)}.", fix))
                : (outputs, null);
        }
        catch (JsonException e)
        {
            return (null, new Problem(source, $"output {OutputName}", $"cannot be read: {e.Message}", fix));
        }
    }

    /// <summary>
    /// The roles recorded under another definition GUID than the kit decides (<see cref="CustomRoleIds"/>), e.g. a definition imported
    /// by hand: the platform identity's assignment condition names the decided GUIDs only (CiIdentities.PlatformAssignmentCondition), so
    /// its grants of such a role would be refused halfway through the platform's up. Null when every role is the decided one.
    /// </summary>
    /// <param name="decidedGuid">The decided definition GUID of a role name (PlatformNames.CustomRoleGuid).</param>
    public Problem? RoleGuidProblem(string platformStack, Func<string, string> decidedGuid)
    {
        var other = RoleDefinitionIds.Where(p => !p.Value.EndsWith("/" + decidedGuid(p.Key), StringComparison.OrdinalIgnoreCase)).Select(p => p.Key).ToList();
        return other.Count == 0
            ? null
            : new Problem($"foundation stack {StackName(platformStack)}", $"output {OutputName}.roleDefinitionIds",
                $"records {string.Join(", ", other)} under another definition GUID than the kit decides (CustomRoleIds): the platform identity may assign the decided ones only.",
                $"An operator deletes those definitions (their assignments first) and runs 'pulumi up --stack {platformStack}' in {ProjectFolder}, which makes them under the decided GUIDs.");
    }

    /// <summary>Every custom role the foundation defines (and exports the ID of): the CI identities' and the cluster's public IP reader.</summary>
    public static IReadOnlyList<AzureRoleDefinition> RolesItDefines => [.. CiIdentities.CustomRoles, GatewayAddress.GroupPublicIpReader];
}
