using Pulumi.Automation.Commands;
using Pulumi.Automation.Events;
using Semver;

namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>
/// The Pulumi CLI as every tenant's workspace in a fleet run calls it: found and its version checked once for the
/// run (a workspace made without a command runs <c>pulumi version</c> for itself, once per tenant), and without
/// <c>pulumi stack select</c>. The Automation API selects a stack before it hands it out; every operation names its
/// stack itself (<c>--stack</c>), fails as the select would when there is none (<c>no stack named ... found</c>,
/// a <see cref="Pulumi.Automation.Commands.Exceptions.StackNotFoundException"/>) and never creates one
/// (<c>--non-interactive</c>). The select would cost a process and a read of the backend per tenant, and write the
/// workspace's current stack, a file the tenants running at once share.
/// </summary>
public sealed class FleetPulumiCommand(PulumiCommand pulumi) : PulumiCommand
{
    private static readonly Task<CommandResult> Selected = Task.FromResult(new CommandResult(0, "", ""));

    /// <summary>The Pulumi CLI on PATH, its version checked (unless PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK is set).</summary>
    public static async Task<PulumiCommand> FindAsync() => new FleetPulumiCommand(await LocalPulumiCommand.CreateAsync());

    public override SemVersion? Version => pulumi.Version;

    public override Task<CommandResult> RunAsync(IList<string> args, string workingDir, IDictionary<string, string?> additionalEnv,
        Action<string>? onStandardOutput = null, Action<string>? onStandardError = null, Action<EngineEvent>? onEngineEvent = null,
        CancellationToken cancellationToken = default) =>
        RunInputAsync(args, workingDir, additionalEnv, onStandardOutput, onStandardError, null, onEngineEvent, cancellationToken);

    public override Task<CommandResult> RunInputAsync(IList<string> args, string workingDir, IDictionary<string, string?> additionalEnv,
        Action<string>? onStandardOutput = null, Action<string>? onStandardError = null, string? stdIn = null,
        Action<EngineEvent>? onEngineEvent = null, CancellationToken cancellationToken = default) =>
        IsStackSelect(args) ? Selected
            : pulumi.RunInputAsync(args, workingDir, additionalEnv, onStandardOutput, onStandardError, stdIn, onEngineEvent, cancellationToken);

    internal static bool IsStackSelect(IList<string> args) => args is ["stack", "select", ..];
}
