using System.CommandLine;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>--ring &lt;canary|early|broad&gt;</c>: only the tenants of one rollout ring (tenant list, fleet status, fleet preview|up|refresh).</summary>
internal static class RingOption
{
    public static Option<string?> Create(string purpose) =>
        new(RolloutPlan.RingOption) { Description = $"Only the tenants of this rollout ring: canary, early or broad{purpose}." };

    /// <summary>False, with the problem said, for a name that is no ring; otherwise the ring given, or null.</summary>
    public static bool TryRead(ParseResult parse, Option<string?> option, CliOutput output, out RolloutRing? ring)
    {
        ring = null;
        if (parse.GetValue(option) is not { } text)
        {
            return true;
        }
        var (parsed, problem) = RolloutPlan.Parse(text);
        if (problem is not null)
        {
            output.Problems([problem]);
            return false;
        }
        ring = parsed;
        return true;
    }
}
