using System.CommandLine;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.Cli.Status;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using Spectre.Console;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>
/// <c>fleet status</c>: for every tenant (or a selection), gathered several at a time, the running version against the
/// stack file's, the deployed commit against main, the last good backup, the certificate, the pods, the drift
/// workflow's verdict. A table, <c>--json</c>, or a static HTML page; exit 1 when anything needs attention.
/// </summary>
public static class FleetStatusCommand
{
    public const int DefaultParallel = 8;

    public static Command Create(Func<ParseResult, CliContext> context, Shell shell)
    {
        var tenants = new Option<string[]>(FleetSelection.TenantOption) { Description = "Only this tenant (repeatable); default: every stack file.", AllowMultipleArgumentsPerToken = true };
        var parallel = new Option<int>("--parallel") { Description = $"How many tenants are looked at the same time (default {DefaultParallel}).", DefaultValueFactory = _ => DefaultParallel };
        var json = new Option<bool>("--json") { Description = "Print the status as JSON (for monitoring) instead of a table." };
        var html = new Option<string?>("--html") { Description = "Also write the status as one self-contained HTML page to this file." };
        var drift = new Option<string>("--drift") { Description = $"The drift workflow's result file (default {DriftResults.DefaultFile}; none there: drift shows as unknown).", DefaultValueFactory = _ => DriftResults.DefaultFile };
        var drills = new Option<string>("--drills") { Description = $"The restore drills' results (default {RestoreDrills.DefaultFile}; none there: drills show as unknown).", DefaultValueFactory = _ => RestoreDrills.DefaultFile };
        var ring = RingOption.Create(" (deploy.yml's gate between rings)");
        var command = new Command("status", "Which version each tenant runs, its last good backup, certificate, pods and drift; exit 1 when anything needs attention.")
        {
            tenants, parallel, json, html, drift, drills, ring,
        };
        command.SetAction(parse =>
        {
            var cli = context(parse);
            var output = cli.Output;
            var limit = parse.GetValue(parallel);
            if (limit < 1)
            {
                output.Error($"--parallel {limit}: at least one tenant must be looked at at a time; give 1 or more.");
                return CliContext.Failure;
            }
            var page = parse.GetValue(html) is { } file ? Path.GetFullPath(file, cli.WorkingDirectory) : null;
            if (page is not null && !Directory.Exists(Path.GetDirectoryName(page)))
            {
                output.Error($"--html {parse.GetValue(html)}: the folder {Path.GetDirectoryName(page)} does not exist; create it or give a file in an existing folder. Nothing was gathered.");
                return CliContext.Failure;
            }
            return cli.InWorkspace(workspace =>
            {
                var fleet = FleetLoader.Load(workspace);
                if (!RingOption.TryRead(parse, ring, output, out var onlyRing))
                {
                    return CliContext.Failure;
                }
                var selection = FleetSelection.Select(workspace, fleet, parse.GetValue(tenants) ?? [], onlyRing);
                var (thresholds, thresholdProblems) = StatusThresholds.Read(workspace);
                var (driftResults, driftProblem) = ReadDrift(workspace, Path.GetFullPath(parse.GetValue(drift)!, cli.WorkingDirectory));
                var drillsFile = Path.GetFullPath(parse.GetValue(drills)!, cli.WorkingDirectory);
                var (drillResults, drillProblem) = File.Exists(drillsFile) ? RestoreDrills.Parse(File.ReadAllText(drillsFile), workspace.Display(drillsFile)) : (null, null);
                List<Problem> problems = [.. selection.Problems, .. thresholdProblems, .. new[] { driftProblem, drillProblem }.OfType<Problem>()];
                if (problems.Count > 0)
                {
                    output.Problems(problems);
                    return CliContext.Failure;
                }
                var selected = fleet.Members.Where(m => selection.Stacks.Contains(m.Tenant.Slug)).Select(m => m.Tenant).ToList();
                var report = Gather(shell, workspace.Root, selected, thresholds!, driftResults, limit, drillResults);

                if (parse.GetValue(json))
                {
                    output.Line(StatusJson.Serialize(report));
                }
                else
                {
                    Show(output, report);
                }
                if (page is not null && !WritePage(output, page, report))
                {
                    return CliContext.Failure;
                }
                var attention = report.Tenants.Count(t => t.NeedsAttention);
                output.Note(attention == 0
                    ? $"fleet status: all {report.Tenants.Count} tenant(s) are fine."
                    : $"fleet status: {attention} of {report.Tenants.Count} tenant(s) need attention ({string.Join(", ", report.Tenants.Where(t => t.NeedsAttention).Select(t => t.Observation.Tenant))}).");
                return attention == 0 ? CliContext.Success : CliContext.Failure;
            });
        });
        return command;
    }

    /// <summary>
    /// Every selected tenant looked at: each cluster's lists once (one per kind, <see cref="ClusterLists"/>) while the
    /// stacks' deployed commits are asked, at most <paramref name="parallel"/> at a time; main's head from git, once.
    /// </summary>
    internal static FleetStatusReport Gather(Shell shell, string root, IReadOnlyList<Tenant> tenants, StatusThresholds thresholds,
        IReadOnlyDictionary<string, DriftResult>? drift, int parallel, IReadOnlyDictionary<string, DrillResult>? drills = null)
    {
        var clusters = new ClusterLists(shell.Kubeconfig).ReadAllAsync(tenants.Where(t => t.HasLiveCluster).Select(t => t.Cluster.Context));
        var probe = new TenantStatusProbe(shell.Processes, root, drift, drills);
        var commits = new Observed<string>[tenants.Count];
        Parallel.For(0, tenants.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i => commits[i] = probe.DeployedCommit(tenants[i].Slug));
        var inventories = clusters.GetAwaiter().GetResult();
        var observations = tenants.Select((tenant, i) => probe.Observe(tenant, commits[i], inventories));
        return FleetStatusAssessment.Report(observations, thresholds, MainCommit(shell.Processes, root), shell.Time.GetUtcNow());
    }

    /// <summary>The commit at the head of main (the local branch, else origin's), or null outside a git clone.</summary>
    private static string? MainCommit(IProcessRunner processes, string root) =>
        new[] { "main", "origin/main" }
            .Select(branch => processes.Run(new ProcessCall("git", ["rev-parse", "--verify", "--quiet", $"{branch}^{{commit}}"]) { WorkingDirectory = root }))
            .FirstOrDefault(result => result.Succeeded)?.Output.Trim();

    private static (IReadOnlyDictionary<string, DriftResult>?, Problem?) ReadDrift(ProjectWorkspace workspace, string file) =>
        File.Exists(file) ? DriftResults.Parse(File.ReadAllText(file), workspace.Display(file)) : (null, null);

    private static void Show(CliOutput output, FleetStatusReport report)
    {
        var table = new Table().AddColumns(FleetStatusCells.Columns.Select(c => new TableColumn(c)).ToArray());
        foreach (var tenant in report.Tenants)
        {
            table.AddRow(FleetStatusCells.Of(tenant, report.GeneratedAt)
                .Select(cell => new Text(cell.Text, cell.Attention ? new Style(Color.Red, decoration: Decoration.Bold) : Style.Plain)).ToArray());
        }
        output.Render(table);
        // Below the table, in words: what needs attention, then why what is not flagged is unknown.
        foreach (var tenant in report.Tenants)
        {
            var unflagged = FleetStatusCells.Of(tenant, report.GeneratedAt).Where(c => c.Why is not null && !c.Attention).Select(c => $"{c.Column} unknown: {c.Why}");
            foreach (var line in tenant.Attention.Select(a => a.Message).Concat(unflagged))
            {
                output.Line($"{tenant.Observation.Tenant}: {line}");
            }
        }
    }

    private static bool WritePage(CliOutput output, string file, FleetStatusReport report)
    {
        try
        {
            File.WriteAllText(file, FleetStatusPage.Render(report));
            output.Note($"fleet status: the page is in {file}");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            output.Error($"--html {file}: cannot write it ({e.Message}); give a file you may write.");
            return false;
        }
    }
}
