using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>
/// <c>fleet plan</c>: how deploy.yml rolls a change out: the given tenants (a JSON array, as <c>tenant changed</c>
/// prints it) split into their rings, and the failure threshold, as one JSON object
/// <c>{"maxFailuresPercent": 10, "canary": [...], "early": [...], "broad": [...]}</c>.
/// </summary>
public static class FleetPlanCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var tenants = new Option<string>("--tenants") { Description = "The tenants to roll out to, as a JSON array of slugs.", Required = true };
        var maxFailures = new Option<int?>(RolloutThreshold.Option) { Description = "The threshold in percent (0-100); default: rolloutMaxFailuresPercent in Pulumi.yaml." };
        var command = new Command("plan", "Split tenants (a JSON array) into the rollout rings, with the failure threshold, as JSON for deploy.yml.") { tenants, maxFailures };
        command.SetAction(parse => context(parse).InWorkspace(workspace =>
        {
            var output = context(parse).Output;
            string[]? requested;
            try
            {
                requested = JsonSerializer.Deserialize<string[]>(parse.GetValue(tenants)!);
            }
            catch (JsonException)
            {
                requested = null;
            }
            if (requested is null)
            {
                output.Error($"--tenants {parse.GetValue(tenants)}: not a JSON array of slugs; give e.g. '[\"aarhus\",\"odense\"]' (what 'tenant changed' prints).");
                return CliContext.Failure;
            }
            var fleet = FleetLoader.Load(workspace);
            // None requested means none, not all: a change that reaches no tenant rolls out to none.
            var selection = requested.Length == 0 ? new FleetSelection([], []) : FleetSelection.Select(workspace, fleet, requested);
            var (threshold, problems) = RolloutThreshold.Read(workspace, parse.GetValue(maxFailures));
            if (selection.Problems.Count > 0 || problems.Count > 0)
            {
                output.Problems([.. selection.Problems, .. problems]);
                return CliContext.Failure;
            }
            var waves = RolloutPlan.Waves(fleet.Members.Select(m => m.Tenant).Where(t => selection.Stacks.Contains(t.Slug)));
            var plan = new JsonObject { ["maxFailuresPercent"] = threshold!.MaxFailuresPercent };
            foreach (var ring in Enum.GetValues<RolloutRing>())
            {
                plan[RolloutPlan.Name(ring)] = new JsonArray([.. (waves.SingleOrDefault(w => w.Ring == ring)?.Tenants ?? []).Select(t => JsonValue.Create(t))]);
            }
            output.Line(plan.ToJsonString());
            return CliContext.Success;
        }));
        return command;
    }
}
