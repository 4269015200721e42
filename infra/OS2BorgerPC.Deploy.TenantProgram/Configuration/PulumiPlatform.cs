using OS2BorgerPC.Deploy.StackReferences;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using Pulumi;

namespace OS2BorgerPC.Deploy.TenantProgram.Configuration;

/// <summary>
/// The platform of the running tenant stack: the platform stack's <see cref="PlatformFacts.OutputName"/> output read
/// through a StackReference (or, for the rendered demo, a recorded copy in the tenant's <c>platform.factsFile</c>),
/// parsed and combined with the tenant file by TenantDecisions. Any problem stops the program before anything
/// is provisioned.
/// </summary>
public static class PulumiPlatform
{
    /// <returns>The tenant and the platform as it sees it.</returns>
    public static ResolvedTenant Load(Tenant tenant, string stackFile)
    {
        var reference = tenant.Platform;
        var (facts, problems) = reference.FactsFile is not null
            ? PlatformInputs.ReadFactsFile(ProjectWorkspace.Find(Directory.GetCurrentDirectory()).Root, reference, stackFile)
            : Read(new StackReference("platform", new StackReferenceArgs { Name = reference.Stack }), reference, stackFile);
        var (resolved, resolveProblems) = facts is null ? (null, []) : PlatformInputs.Resolve(tenant, facts, stackFile);
        if (resolved is null)
        {
            throw new RunException(Problem.Refusal($"The platform of tenant '{tenant.Slug}'", [.. problems, .. resolveProblems]));
        }
        return resolved;
    }

    private static (PlatformFacts? Facts, IReadOnlyList<Problem> Problems) Read(StackReference platformStack, PlatformReference reference, string stackFile)
    {
        // The facts decide which resources exist, so the program waits for them here.
        return PlatformFacts.Parse(reference.StackName, $"{stackFile} ({ConfigKeys.Qualified(ConfigKeys.TenantKey)}.platform.stack {reference.Stack})",
            StackOutput.Read(platformStack, PlatformFacts.OutputName));
    }
}
