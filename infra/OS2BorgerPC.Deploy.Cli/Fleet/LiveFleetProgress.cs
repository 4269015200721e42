using Spectre.Console;

namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>Progress on a terminal: one live line per tenant, with a spinner while it runs and its elapsed time.</summary>
internal sealed class LiveFleetProgress : IFleetProgress
{
    private readonly IReadOnlyDictionary<string, ProgressTask> _lines;

    public LiveFleetProgress(ProgressContext context, IEnumerable<string> tenants) =>
        _lines = tenants.ToDictionary(tenant => tenant, tenant => context.AddTask(Line(tenant, "waiting"), autoStart: false, maxValue: 1));

    /// <summary>The live display for a run: spinner, tenant and state, elapsed time; it stays on screen at the end.</summary>
    public static Progress Display(IAnsiConsole console) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn());

    public void Started(string tenant)
    {
        var line = _lines[tenant];
        line.Description = Line(tenant, "running");
        line.IsIndeterminate = true;
        line.StartTask();
    }

    public void Finished(TenantOutcome outcome)
    {
        var line = _lines[outcome.Tenant];
        // Why a tenant failed is in the summary table below: a long line would push the elapsed time off screen.
        line.Description = Line(outcome.Tenant, FleetText.Describe(outcome, withDetail: false));
        line.IsIndeterminate = false;
        line.Value = line.MaxValue;
        line.StopTask();
    }

    private static string Line(string tenant, string state) => Markup.Escape($"{tenant}: {state}");
}
