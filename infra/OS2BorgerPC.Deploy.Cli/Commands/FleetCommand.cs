using System.CommandLine;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using OS2BorgerPC.Deploy.Cli.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>fleet preview|up|refresh</c>: one pulumi operation on every tenant (or a selection), several at a time.</summary>
public static class FleetCommand
{
    public const int DefaultParallel = 4;

    /// <summary>Where the tenants' pulumi output goes, one folder per run; ignored by git.</summary>
    public const string LogRoot = "fleet-logs";

    public const string PulumiMissing =
        "The Pulumi CLI ('pulumi') is not on PATH, and the fleet commands run it: install it (https://www.pulumi.com/docs/install/, " +
        "e.g. 'curl -fsSL https://get.pulumi.com | sh'), open a new shell, and run the command again. Nothing was started.";

    public static Command Create(Func<ParseResult, CliContext> context, FleetHost host) =>
        new("fleet", "Preview, update or refresh the stacks of every tenant (or those given with --tenant), several at a time, through the Pulumi CLI.")
        {
            Operation(context, host, FleetOperation.Preview, "Show what 'pulumi up' would change for each tenant; changes nothing."),
            Operation(context, host, FleetOperation.Up, "Update each tenant's infrastructure to its stack file (production: needs --yes)."),
            Operation(context, host, FleetOperation.Refresh, "Bring each tenant's stack state in line with what really exists (needs --yes)."),
        };

    private static Command Operation(Func<ParseResult, CliContext> context, FleetHost host, FleetOperation operation, string description)
    {
        var name = FleetText.Verb(operation);
        var tenants = new Option<string[]>(FleetSelection.TenantOption) { Description = "Only this tenant's stack (repeatable); default: every stack file.", AllowMultipleArgumentsPerToken = true };
        var parallel = new Option<int>("--parallel") { Description = $"How many tenants run at the same time (default {DefaultParallel}).", DefaultValueFactory = _ => DefaultParallel };
        var ring = RingOption.Create(operation == FleetOperation.Up ? "; default: every ring, one after the other" : "");
        var command = new Command(name, description) { tenants, parallel, ring };
        // Only an update rolls out ring by ring and stops at the threshold: a preview or refresh changes no tenant's infrastructure.
        var maxFailures = operation != FleetOperation.Up ? null : new Option<int?>(RolloutThreshold.Option)
        {
            Description = $"Of a ring's tenants, the percentage (0-100) that may fail before no further tenant starts and no later ring runs (default: {ConfigKeys.FleetDefaults.RolloutMaxFailuresPercent} in Pulumi.yaml).",
        };
        if (maxFailures is not null)
        {
            command.Add(maxFailures);
        }
        // pulumi itself asks before it writes to a stack; the Automation API answers yes, so the operator must have.
        var confirm = operation == FleetOperation.Preview ? null
            : new Option<bool>("--yes") { Description = $"Confirm: '{name}' writes to every selected tenant's stack." };
        if (confirm is not null)
        {
            command.Add(confirm);
        }
        command.SetAction(parse =>
        {
            var cli = context(parse);
            var output = cli.Output;
            if (confirm is not null && !parse.GetValue(confirm))
            {
                output.Error($"'fleet {name}' {(operation == FleetOperation.Up ? "changes the production infrastructure" : "rewrites the stack state")} of every selected tenant: " +
                    $"run 'fleet preview' to see what would change, then add --yes. Nothing was started.");
                return CliContext.Failure;
            }
            var limit = parse.GetValue(parallel);
            if (limit < 1)
            {
                output.Error($"--parallel {limit}: at least one tenant must run at a time; give 1 or more.");
                return CliContext.Failure;
            }
            if (!RingOption.TryRead(parse, ring, output, out var onlyRing))
            {
                return CliContext.Failure;
            }
            return cli.InWorkspace(workspace =>
            {
                var fleet = FleetLoader.Load(workspace);
                var selection = FleetSelection.Select(workspace, fleet, parse.GetValue(tenants) ?? [], onlyRing);
                var (threshold, thresholdProblems) = maxFailures is null ? (null, []) : RolloutThreshold.Read(workspace, parse.GetValue(maxFailures));
                var (pulumiVersion, pinProblem) = PulumiCliPin.Read(workspace);
                if (selection.Problems.Count > 0 || thresholdProblems.Count > 0 || pinProblem is not null)
                {
                    output.Problems([.. selection.Problems, .. thresholdProblems, .. pinProblem is null ? [] : new[] { pinProblem }]);
                    return CliContext.Failure;
                }
                if (selection.Stacks.Count == 0)
                {
                    output.Line($"fleet {name}: no tenant is in ring {parse.GetValue(ring)}; nothing to do.");
                    return CliContext.Success;
                }
                if (host.FindExecutable("pulumi") is null)
                {
                    output.Error(PulumiMissing);
                    return CliContext.Failure;
                }
                var selected = fleet.Members.Select(m => m.Tenant).Where(t => selection.Stacks.Contains(t.Slug));
                var waves = threshold is null ? null : RolloutPlan.Waves(selected);
                return Run(host, output, workspace, operation, new FleetPlan(selection.Stacks, waves, threshold, pulumiVersion!), limit);
            });
        });
        return command;
    }

    /// <summary>
    /// Where a repository's fleet runs publish the program and keep their project file: one folder per repository in
    /// the temporary folder, reused (an incremental publish is quick), never inside the repository.
    /// </summary>
    internal static string BuildFolder(ProjectWorkspace workspace) => Path.Combine(Path.GetTempPath(),
        $"os2borgerpc-fleet-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workspace.Root)))[..12]}");

    /// <summary>What a run starts: the stacks, and for an update its rollout: the rings' waves and the failure threshold.</summary>
    private sealed record FleetPlan(IReadOnlyList<string> Stacks, IReadOnlyList<RolloutWave>? Waves, RolloutThreshold? Threshold, Version PulumiVersion)
    {
        /// <summary>In the order they start: ring by ring for a rollout.</summary>
        public IReadOnlyList<string> Ordered => Waves is null ? Stacks : [.. Waves.SelectMany(w => w.Tenants)];
    }

    private static int Run(FleetHost host, CliOutput output, ProjectWorkspace workspace, FleetOperation operation, FleetPlan plan, int parallel)
    {
        var stacks = plan.Ordered;
        var name = FleetText.Verb(operation);
        var logFolder = Path.Combine(workspace.Root, LogRoot, $"{host.Time.GetLocalNow():yyyyMMdd-HHmmss}-{name}");
        // The program is built once, before any stack runs: concurrent 'dotnet run's would race on one obj/ and bin/.
        var project = PublishedProject.Of(workspace);
        var build = BuildFolder(workspace);
        var projectFolder = Path.Combine(build, "project");
        var runner = host.CreateRunner(new FleetRunSettings(projectFolder, logFolder, plan.PulumiVersion));
        // What every tenant needs from the machine (the Pulumi CLI's version) is asked while the program builds.
        var prepared = runner.PrepareAsync();
        output.Line($"fleet {name}: building the program once (dotnet publish {workspace.Display(project.ProgramFolder)}, Release)");
        var built = host.Build.Publish(project.ProgramFolder, Path.Combine(build, "program"));
        var unusable = prepared.GetAwaiter().GetResult();
        if (built.Assembly is null)
        {
            output.Error($"fleet {name}: building the program ({workspace.Display(project.ProgramFolder)}) failed, so no tenant was started:{Environment.NewLine}{built.Failure}");
        }
        if (unusable is not null)
        {
            output.Error($"fleet {name}: no tenant was started: {unusable}");
        }
        if (built.Assembly is null || unusable is not null)
        {
            return CliContext.Failure;
        }
        project.Write(projectFolder, built.Assembly);
        using var stopStarting = new CancellationTokenSource();
        // The first Ctrl+C only stops new starts (the running pulumi processes get it too and stop gracefully); a second one quits.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            if (!stopStarting.IsCancellationRequested)
            {
                signal.Cancel = true;
                output.Error("Ctrl+C: no further tenant starts; waiting for the running ones (Ctrl+C again quits at once).");
                stopStarting.Cancel();
            }
        });
        async Task<RolloutOutcome> Fleet(IFleetProgress progress)
        {
            var fleet = new FleetRunner(runner, parallel, progress, host.Time);
            return plan is { Waves: { } waves, Threshold: { } threshold }
                ? await fleet.RolloutAsync(waves, operation, threshold, stopStarting.Token)
                : new RolloutOutcome(await fleet.RunAsync(stacks, operation, stopStarting.Token), []);
        }
        var (outcomes, verdicts) = output.IsTerminal
            ? LiveFleetProgress.Display(output.Ansi).StartAsync(live => Fleet(new LiveFleetProgress(live, stacks))).GetAwaiter().GetResult()
            : Fleet(new PlainFleetProgress(output)).GetAwaiter().GetResult();

        output.Render(FleetText.Summary(outcomes));
        foreach (var verdict in verdicts)
        {
            if (verdict.Failures.Count > 0)
            {
                output.Error($"fleet {name}: {verdict.Summary}");
            }
            else
            {
                output.Line($"fleet {name}: {verdict.Summary}");
            }
        }
        var logs = workspace.Display(logFolder);
        var unsuccessful = outcomes.Where(o => o.Outcome.Result != StackResult.Succeeded).ToList();
        if (unsuccessful.Count == 0)
        {
            output.Line($"fleet {name}: {(outcomes.Count == 1 ? "the tenant" : $"all {outcomes.Count} tenants")} succeeded. Pulumi's output: {logs}/<tenant>.log");
            return CliContext.Success;
        }
        output.Error($"fleet {name}: {unsuccessful.Count} of {outcomes.Count} tenants did not succeed ({string.Join(", ", unsuccessful.Select(o => $"{o.Tenant}: {FleetText.Result(o.Outcome.Result)}"))}). " +
            $"Pulumi's output: {logs}/<tenant>.log");
        return CliContext.Failure;
    }
}
