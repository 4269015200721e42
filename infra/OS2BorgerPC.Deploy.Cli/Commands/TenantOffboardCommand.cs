using System.CommandLine;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>
/// <c>tenant offboard</c>: prints the offboarding plan <see cref="OffboardingPlan"/> decides (nightly backups suspended,
/// final backup, hand-over copy of the current data, retention, destroy, removal of the off-site data, what stays
/// billed) and exits 0. With <c>--confirm &lt;slug&gt;</c> and <c>--final-backup</c> once the retention period has
/// passed it also prints the removal's commands; with <c>--confirm</c> not naming the tenant, without
/// <c>--final-backup</c> or before the period ends it prints the plan and why it refuses, no removal, and exits 1.
/// It runs no command itself.
/// </summary>
public static class TenantOffboardCommand
{
    public static Command Create(Func<ParseResult, CliContext> context, Shell shell)
    {
        var slug = new Argument<string>("slug") { Description = "The tenant leaving." };
        var finalBackup = new Option<DateTimeOffset?>("--final-backup") { Description = "When the final backup was taken (ISO 8601, as 'tenant backups' lists it): the retention period runs from it." };
        var confirm = new Option<string?>("--confirm") { Description = $"The tenant's slug, repeated: also print the removal of its off-site data, from {OffboardingPlan.RetentionDays} days after --final-backup; refused (exit 1) otherwise." };
        var command = new Command("offboard", "Print the plan for offboarding a tenant (backups suspended, final backup, hand-over copy, retention, destroy, removal of the off-site data, what stays billed); runs nothing. With --confirm <slug> and --final-backup after the retention period, also the removal's commands.")
        {
            slug, finalBackup, confirm,
        };
        command.SetAction(parse => context(parse).ForTenant(parse.GetRequiredValue(slug), tenant =>
        {
            var output = context(parse).Output;
            var plan = OffboardingPlan.For(new OffboardingRequest(tenant, parse.GetValue(confirm), parse.GetValue(finalBackup), shell.Time.GetUtcNow()));
            output.Line($"Plan for offboarding {tenant.Slug}:");
            foreach (var (step, i) in plan.Steps.Select((s, i) => (s, i)))
            {
                output.Line($"  {i + 1}. {step}");
            }
            output.Line("What stays billed:");
            foreach (var line in plan.Billed)
            {
                output.Line($"  - {line}");
            }
            foreach (var refusal in plan.Refusals)
            {
                output.Error(refusal);
            }
            if (plan.Refused)
            {
                return 1;
            }
            if (plan.Removal.Count > 0)
            {
                output.Line($"Removal of the off-site data of {tenant.Slug} (confirmed; the retention period has passed; after 'pulumi destroy', before 'pulumi stack rm'). It cannot be undone:");
                foreach (var line in plan.Removal)
                {
                    output.Line($"  {line}");
                }
            }
            return CliContext.Success;
        }));
        return command;
    }
}
