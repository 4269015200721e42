using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
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
    public static FoundationOutputs Load()
    {
        var stack = Pulumi.Deployment.Instance.StackName;
        var reference = new StackReference("foundation", new StackReferenceArgs { Name = FoundationOutputs.StackName(stack) });
        // The outputs decide names and scopes of what the program registers, so it waits for them here.
        var (outputs, problem) = FoundationOutputs.Parse(stack, StackOutput.Read(reference, FoundationOutputs.OutputName));
        return outputs ?? throw new RunException(Problem.Refusal($"The foundation of platform stack '{stack}'", [problem!]));
    }
}
