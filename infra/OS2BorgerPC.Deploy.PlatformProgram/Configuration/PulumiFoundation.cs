using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Naming;
using OS2BorgerPC.Deploy.StackReferences;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using Pulumi;

namespace OS2BorgerPC.Deploy.PlatformProgram.Configuration;

/// <summary>
/// The foundation of the running platform stack: the <see cref="FoundationOutputs.OutputName"/> output of the foundation stack
/// of the same name, read through a StackReference (a read of that stack's last checkpoint in the same state container, which
/// the platform identity may read). No foundation, or an older one, stops the program before anything is provisioned.
/// </summary>
public static class PulumiFoundation
{
    /// <param name="names">The platform's names: the custom roles' decided GUIDs the recorded ones must be.</param>
    public static FoundationOutputs Load(PlatformNames names)
    {
        var stack = Pulumi.Deployment.Instance.StackName;
        var reference = new StackReference("foundation", new StackReferenceArgs { Name = FoundationOutputs.StackName(stack) });
        // The outputs decide names and scopes of what the program registers, so it waits for them here.
        var (outputs, problem) = FoundationOutputs.Parse(stack, StackOutput.Read(reference, FoundationOutputs.OutputName));
        problem ??= outputs!.RoleGuidProblem(stack, names.CustomRoleGuid);
        return problem is null ? outputs! : throw new RunException(Problem.Refusal($"The foundation of platform stack '{stack}'", [problem]));
    }
}
