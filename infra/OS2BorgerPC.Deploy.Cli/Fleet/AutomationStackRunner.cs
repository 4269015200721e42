using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using System.Text.RegularExpressions;
using Pulumi.Automation;
using Pulumi.Automation.Commands;
using Pulumi.Automation.Commands.Exceptions;

namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>
/// Runs a tenant's stack through the Pulumi CLI with the Automation API, as <c>pulumi &lt;operation&gt; --stack &lt;slug&gt;</c>
/// would in the repository: the project in <paramref name="projectFolder"/> (the repository's Pulumi.yaml running the
/// program published once for the run), one workspace per tenant (a workspace has one selected stack, so tenants
/// running at once cannot share one), all calling the one <see cref="FleetPulumiCommand"/> of the run. Pulumi's output
/// goes to the tenant's log file, never to the console.
/// </summary>
public sealed partial class AutomationStackRunner(string projectFolder, string logFolder, Version pinnedVersion) : IStackRunner
{
    // Found and its version checked once, by PrepareAsync while the program builds.
    private readonly Lazy<Task<PulumiCommand>> _pulumi = new(() => Task.Run(FleetPulumiCommand.FindAsync));

    /// <summary>A tenant's workspace: the run's project as the program, the run's Pulumi CLI.</summary>
    internal LocalWorkspaceOptions WorkspaceOptions(PulumiCommand pulumi) => new() { WorkDir = projectFolder, PulumiCommand = pulumi };

    internal string LogFile(string tenant) => Path.Combine(logFolder, $"{tenant}.log");

    public async Task<string?> PrepareAsync()
    {
        try
        {
            var pulumi = await _pulumi.Value;
            return PulumiCliPin.Refusal(pulumi.Version is { } v ? new Version((int)v.Major, (int)v.Minor, (int)v.Patch) : null, pinnedVersion) is { } refusal
                ? $"the Pulumi CLI cannot be used: {refusal}"
                : null;
        }
        catch (Exception e)
        {
            // 'pulumi version' failed, or the CLI is older than the Automation API needs: its message says which.
            return $"the Pulumi CLI cannot be used: {FleetText.FirstLine(e.Message)}";
        }
    }

    public async Task<StackOutcome> RunAsync(string tenant, FleetOperation operation, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(logFolder);
        await using var file = new StreamWriter(LogFile(tenant)) { AutoFlush = true };
        // Pulumi's standard output and error arrive on two threads.
        var log = TextWriter.Synchronized(file);
        log.WriteLine($"pulumi {FleetText.Verb(operation)} --stack {tenant} (in {projectFolder})");
        try
        {
            // Pulumi goes on past pending operations of a killed run, with a warning: kept, to report.
            string? pending = null;
            void Watch(string line) => pending ??= PendingOperations(line, tenant);
            var workspace = await LocalWorkspace.CreateAsync(WorkspaceOptions(await _pulumi.Value), cancellationToken);
            // The stack owns its workspace: disposing one disposes the other.
            using var stack = await WorkspaceStack.SelectAsync(tenant, workspace, cancellationToken);
            // From here on the operation runs to its end whatever the token says: stopping pulumi mid-update leaves
            // pending operations in the stack's state. Ctrl+C reaches pulumi itself, which stops gracefully.
            var changes = operation switch
            {
                FleetOperation.Preview => (await stack.PreviewAsync(Logged(new PreviewOptions(), log, Watch))).ChangeSummary,
                // The summary comes from the stack's history, which need not decrypt the stack's secret config.
                FleetOperation.Up => (await stack.UpAsync(Logged(new UpOptions { ShowSecrets = false }, log, Watch))).Summary.ResourceChanges,
                FleetOperation.Refresh => (await stack.RefreshAsync(Logged(new RefreshOptions { ShowSecrets = false }, log, Watch))).Summary.ResourceChanges,
                _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
            };
            return StackOutcome.Succeeded(Changes(changes)) with { Detail = pending };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed pulumi command's text is what the operator needs; anything else gets its stack trace.
            log.WriteLine(e is CommandException ? e.Message : e.ToString());
            return StackOutcome.Failed(Reason(e, tenant));
        }
    }

    /// <summary>Resources created, updated, replaced or deleted: everything but those that stay the same.</summary>
    internal static int? Changes(IImmutableDictionary<OperationType, int>? summary) =>
        summary?.Where(change => change.Key != OperationType.Same).Sum(change => change.Value);

    /// <summary>One line for the summary (docs/RUNBOOK.md, 'A stuck stack', says more); the whole error is in the tenant's log.</summary>
    /// <remarks>
    /// The Automation API (Pulumi.Automation 3.112.1, CommandException) raises <see cref="ConcurrentUpdateException"/>
    /// for Pulumi Cloud's "[409] Conflict: Another update is currently in progress." and for a self-managed backend's
    /// lock, "the stack is currently locked by N lock(s). ... delete the lock file with `pulumi cancel`."
    /// (pulumi/pulumi v3.259.0 pkg/backend/diy/lock.go). A killed pulumi leaves either behind.
    /// </remarks>
    internal static string Reason(Exception e, string tenant) => e switch
    {
        StackNotFoundException => $"there is no stack '{tenant}' in the current Pulumi backend: create it with 'pulumi stack init {tenant}'",
        ConcurrentUpdateException when e.Message.Contains(DiyLockText, StringComparison.Ordinal) =>
            $"locked by a running or killed pulumi; if none runs: pulumi cancel --stack {tenant} --yes",
        ConcurrentUpdateException =>
            $"another update is running or was killed; if none runs: pulumi cancel --stack {tenant} --yes",
        CommandException => FirstError(e.Message) ?? "pulumi failed; see the log",
        _ => FleetText.FirstLine(e.Message),
    };

    private const string DiyLockText = "the stack is currently locked by";

    /// <summary>
    /// Pulumi's warning for pending operations of an interrupted run, as a line for the summary (pulumi/pulumi v3.259.0
    /// pkg/resource/deploy/deployment_executor.go: "Attempting to deploy or update resources with N pending operations
    /// from previous deployment."), or null for any other line.
    /// </summary>
    internal static string? PendingOperations(string line, string tenant)
    {
        var match = PendingWarning().Match(line);
        return match.Success
            ? $"{match.Groups["count"].Value} pending operations of a killed run: check them, then pulumi refresh --stack {tenant}"
            : null;
    }

    /// <summary>The first <c>error:</c> line pulumi printed, from a failed command's text (<c>code: .. stdout: .. stderr: ..</c>).</summary>
    internal static string? FirstError(string commandText) =>
        commandText.Split('\n')
            .Select(line => line.Trim())
            .Select(line => line.StartsWith("stdout: ", StringComparison.Ordinal) || line.StartsWith("stderr: ", StringComparison.Ordinal) ? line["stdout: ".Length..] : line)
            .FirstOrDefault(line => line.StartsWith("error: ", StringComparison.Ordinal))?["error: ".Length..];

    /// <summary>Pulumi's output, uncoloured, into the tenant's log.</summary>
    private static T Logged<T>(T options, TextWriter log, Action<string> watch) where T : UpdateOptions
    {
        options.OnStandardOutput = line => { log.WriteLine(line); watch(line); };
        options.OnStandardError = line => { log.WriteLine(line); watch(line); };
        options.Color = "never";
        return options;
    }

    [GeneratedRegex(@"with (?<count>\d+) pending operations from previous deployment")]
    private static partial Regex PendingWarning();
}
