namespace OS2BorgerPC.Deploy.TenantDecisions.Model;

/// <summary>
/// Where a tenant takes its platform facts from: the outputs of platform stack <see cref="Stack"/>
/// (fully qualified <c>organization/os2borgerpc-platform/&lt;name&gt;</c>, as a StackReference names it), or, where no
/// platform stack is deployed (the rendered demo), a recorded copy of those outputs in <see cref="FactsFile"/>.
/// </summary>
/// <param name="FactsFile">A JSON file of <see cref="Platform.PlatformFacts"/>, relative to the repository root.</param>
public sealed record PlatformReference(string Stack, string? FactsFile)
{
    /// <summary>The platform program's Pulumi project name: the middle part of every platform stack reference.</summary>
    public const string ProjectName = "os2borgerpc-platform";

    /// <summary>The platform stack's own name (the last part): its stack file is stacks/platform/Pulumi.&lt;name&gt;.yaml.</summary>
    public string StackName => Stack[(Stack.LastIndexOf('/') + 1)..];
}
