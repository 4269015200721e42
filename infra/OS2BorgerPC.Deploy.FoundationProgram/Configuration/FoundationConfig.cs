using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.FoundationProgram.Configuration;

/// <summary>
/// The platform a foundation stack serves: the platform stack file of the same name (stacks/platform/Pulumi.&lt;stack&gt;.yaml),
/// read from the repository and validated exactly as the platform program and <c>platform check</c> do. The foundation has
/// no settings of its own, so the two never disagree.
/// </summary>
public static class FoundationConfig
{
    /// <param name="repositoryRoot">The kit's repository (found from the current directory by the program).</param>
    /// <param name="stack">The foundation's stack name: the platform stack's.</param>
    /// <returns>The azure platform, or the problems that keep the foundation from running (nothing is provisioned then).</returns>
    public static (PlatformSettings? Platform, IReadOnlyList<Problem> Problems) Load(string repositoryRoot, string stack)
    {
        var workspace = PlatformWorkspace.Open(repositoryRoot);
        return Of(PlatformLoader.Load(workspace.ReadStack(stack)), workspace.Display(workspace.StackFilePath(stack)));
    }

    /// <summary>A loaded platform stack file as the foundation takes it: azure only.</summary>
    /// <param name="stackFile">The file it was loaded from, for messages.</param>
    public static (PlatformSettings? Platform, IReadOnlyList<Problem> Problems) Of(PlatformLoadResult result, string stackFile)
    {
        if (result.Platform is not { } platform)
        {
            return (null, result.Problems);
        }
        if (platform.Azure is null)
        {
            return (null, [new Problem(stackFile, $"{PlatformWorkspace.Qualified(PlatformWorkspace.PlatformKey)}.flavour",
                $"is {PlatformLoader.Name(platform.Flavour)}: an existing cluster's platform makes nothing in Azure, so it has no foundation.",
                $"The foundation is for the azure flavour only: run only the platform program ({PlatformWorkspace.ProjectFolder}) for this stack.")]);
        }
        return (platform, []);
    }
}
