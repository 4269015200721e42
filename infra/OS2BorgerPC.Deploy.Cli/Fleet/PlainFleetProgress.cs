namespace OS2BorgerPC.Deploy.Cli.Fleet;

/// <summary>Progress as one plain line per event (<c>aarhus: started</c>), for output that is not a terminal.</summary>
internal sealed class PlainFleetProgress(CliOutput output) : IFleetProgress
{
    private readonly Lock _lines = new();

    public void Started(string tenant)
    {
        lock (_lines)
        {
            output.Line($"{tenant}: started");
        }
    }

    public void Finished(TenantOutcome outcome)
    {
        lock (_lines)
        {
            output.Line($"{outcome.Tenant}: {FleetText.Describe(outcome)}");
        }
    }
}
