using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using Pulumi;

namespace OS2BorgerPC.Deploy.PlatformProgram.Configuration;

/// <summary>
/// The platform of the running stack, read from Pulumi's config (already resolved by the engine: project
/// defaults, then the stack file) and validated by PlatformDecisions, exactly as <c>platform check</c> does.
/// </summary>
public static class PulumiPlatformConfig
{
    public static PlatformSettings Load()
    {
        var stack = Pulumi.Deployment.Instance.StackName;
        var config = new Config(PlatformWorkspace.Namespace);
        var values = new Dictionary<string, JsonNode?>();
        if (config.Get(PlatformWorkspace.FleetIdKey) is { } fleetId)
        {
            values[PlatformWorkspace.Qualified(PlatformWorkspace.FleetIdKey)] = JsonValue.Create(fleetId);
        }
        if (config.GetObject<JsonElement?>(PlatformWorkspace.PlatformKey) is { } platform)
        {
            values[PlatformWorkspace.Qualified(PlatformWorkspace.PlatformKey)] = JsonNode.Parse(platform.GetRawText());
        }
        var stackFile = $"stacks/platform/Pulumi.{stack}.yaml";
        var result = PlatformLoader.Load(new StackConfig(stack, stackFile, values, new Dictionary<string, string>()));
        if (result.Platform is null)
        {
            // RunException: Pulumi prints the message without a stack trace; nothing is provisioned.
            throw new RunException(Problem.Refusal($"The platform configuration of stack '{stack}'", result.Problems));
        }
        return result.Platform;
    }

    /// <summary>
    /// The tenants on <paramref name="platform"/>, from the repository's tenant stack files (<see cref="PlatformTenants"/>);
    /// a tenant file that does not load stops the program, naming it.
    /// </summary>
    public static IReadOnlyList<PlatformTenant> Tenants(PlatformSettings platform)
    {
        IReadOnlyList<Problem> problems;
        try
        {
            var root = PlatformTenants.RepositoryRoot(Directory.GetCurrentDirectory());
            (var tenants, problems) = PlatformTenants.On(FleetLoader.Load(ProjectWorkspace.Open(root)), platform.Name);
            if (problems.Count == 0)
            {
                return tenants;
            }
        }
        catch (InvalidConfigurationException e)
        {
            problems = e.Problems;
        }
        throw new RunException(Problem.Refusal($"The tenant stack files of platform '{platform.Name}' (their resource groups, its CI identities' rights per tenant)", problems));
    }
}
