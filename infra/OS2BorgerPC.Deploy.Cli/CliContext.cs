using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.Cli;

/// <summary>What every command gets: where it runs and where it writes.</summary>
public sealed record CliContext(string WorkingDirectory, CliOutput Output)
{
    public const int Success = 0;
    public const int Failure = 1;

    /// <summary>Runs <paramref name="body"/> in the workspace; a user mistake becomes messages and exit 1, never a stack trace.</summary>
    public int InWorkspace(Func<ProjectWorkspace, int> body)
    {
        try
        {
            return body(ProjectWorkspace.Find(WorkingDirectory));
        }
        catch (InvalidConfigurationException e)
        {
            Output.Problems(e.Problems);
            return Failure;
        }
    }

    /// <summary>Runs <paramref name="body"/> in the platform project of the workspace's repository.</summary>
    public int InPlatforms(Func<PlatformWorkspace, int> body) => InWorkspace(workspace => body(PlatformWorkspace.Open(workspace.Root)));

    /// <summary>Runs <paramref name="body"/> on one stack's resolved tenant; an invalid or missing stack file becomes its problems.</summary>
    public int ForTenant(string slug, Func<Tenant, int> body) => InWorkspace(workspace =>
    {
        var entry = FleetLoader.LoadStack(workspace, slug);
        if (entry.Result.Tenant is not { } tenant)
        {
            Output.Problems(entry.Result.Problems);
            return Failure;
        }
        return body(tenant);
    });
}
