using System.Collections.Immutable;
using OS2BorgerPC.Deploy.Cli.Fleet;
using OS2BorgerPC.Deploy.Testing;
using Pulumi.Automation;

namespace OS2BorgerPC.Deploy.Cli.Tests.Fleet;

/// <summary>The Automation API adapter's own decisions; the Pulumi CLI itself does not run here.</summary>
public sealed class AutomationStackRunnerTests
{
    [Fact]
    public void The_machine_runs_the_tenant_stack_on_the_run_s_project()
    {
        var logs = Path.Combine(RepositoryRoot.FullPath, "fleet-logs", "run");
        const string project = "/tmp/os2borgerpc-fleet-0123456789ab/project";
        FleetHost.Machine.Build.ShouldBeOfType<DotnetPublish>();
        var runner = FleetHost.Machine.CreateRunner(new FleetRunSettings(project, logs, new Version(3, 1, 0))).ShouldBeOfType<AutomationStackRunner>();

        var pulumi = new FleetPulumiCommand(null!);

        var options = runner.WorkspaceOptions(pulumi);

        options.WorkDir.ShouldBe(project);
        options.PulumiCommand.ShouldBeSameAs(pulumi);
        // The local program: the Pulumi.yaml project written for the run, never an inline one; the Automation API writes no project file.
        options.Program.ShouldBeNull();
        options.ProjectSettings.ShouldBeNull();
        runner.LogFile("aarhus").ShouldBe(Path.Combine(logs, "aarhus.log"));
    }

    [Fact]
    public void Changes_count_every_operation_but_same()
    {
        var summary = ImmutableDictionary<OperationType, int>.Empty
            .Add(OperationType.Same, 40).Add(OperationType.Create, 2).Add(OperationType.Update, 1).Add(OperationType.Replace, 1);

        AutomationStackRunner.Changes(summary).ShouldBe(4);
        AutomationStackRunner.Changes(ImmutableDictionary<OperationType, int>.Empty.Add(OperationType.Same, 7)).ShouldBe(0);
        AutomationStackRunner.Changes(null).ShouldBeNull();
    }

    [Fact]
    public void A_failure_is_summed_up_by_pulumi_s_first_error_line()
    {
        const string message = "code: 255\nstdout: Previewing update (aarhus)\n\nstderr: error: failed to load kubeconfig: context \"aks\" not found\nerror: preview failed\n";

        AutomationStackRunner.FirstError(message).ShouldBe("failed to load kubeconfig: context \"aks\" not found");
        AutomationStackRunner.FirstError("code: 1\nstdout: \nstderr: \n").ShouldBeNull();
    }

    [Fact]
    public void Any_other_failure_is_its_message_s_first_line() =>
        AutomationStackRunner.Reason(new InvalidOperationException("failed to get pulumi version: \nmore"), "aarhus")
            .ShouldBe("failed to get pulumi version:");
}
