using OS2BorgerPC.Deploy.Cli.Commands;
using OS2BorgerPC.Deploy.Cli.Fleet;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests.Fleet;

/// <summary><c>fleet preview|up|refresh</c> against a stand-in for pulumi: what runs, what is refused, what is reported.</summary>
public sealed class FleetCommandTests : IDisposable
{
    private static readonly string[] Fleet = ["aarhus", "faelles-it", "odense"];

    private readonly TempRepository _repository = new();

    public FleetCommandTests()
    {
        _repository.Run("tenant", "new", "751").ShouldSucceed();
        _repository.Run("tenant", "new", "461").ShouldSucceed();
        _repository.Run("tenant", "new", "--name", "Fælles IT", "--slug", "faelles-it", "--municipality", "240").ShouldSucceed();
    }

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Preview_runs_every_tenant_and_ends_with_a_summary()
    {
        FakeFleet fleet = null!;
        var runner = new FakeStackRunner((tenant, _) =>
        {
            fleet.Time.Advance(TimeSpan.FromSeconds(tenant == "aarhus" ? 12.3 : 1));
            return StackOutcome.Succeeded(tenant == "aarhus" ? 3 : tenant == "odense" ? 1 : 0);
        });
        fleet = new FakeFleet(runner);

        var run = _repository.Run(fleet.Host, "fleet", "preview", "--parallel", "1").ShouldSucceed();

        runner.Runs.ShouldBe(Fleet.Select(t => (t, FleetOperation.Preview)));
        var lines = Lines(run.Output);
        lines.ShouldContain("aarhus: started");
        lines.ShouldContain("aarhus: succeeded in 12.3 s (3 changes)");
        lines.ShouldContain("faelles-it: succeeded in 1.0 s (0 changes)");
        lines.ShouldContain("odense: succeeded in 1.0 s (1 change)");
        Summary(run).ShouldBe([
            ["tenant", "result", "changes", "duration", "detail"],
            ["aarhus", "succeeded", "3", "12.3 s"],
            ["faelles-it", "succeeded", "0", "1.0 s"],
            ["odense", "succeeded", "1", "1.0 s"],
        ]);
        lines[^1].ShouldStartWith("fleet preview: all 3 tenants succeeded.");
    }

    [Fact]
    public void A_tenant_that_fails_or_throws_does_not_stop_the_others_and_fails_the_run()
    {
        var runner = new FakeStackRunner((tenant, _) => tenant switch
        {
            "faelles-it" => StackOutcome.Failed("update failed"),
            "odense" => throw new InvalidOperationException("the backend is unreachable"),
            _ => StackOutcome.Succeeded(2),
        });

        var run = _repository.Run(new FakeFleet(runner).Host, "fleet", "preview")
            .ShouldFail("fleet preview: 2 of 3 tenants did not succeed (faelles-it: failed, odense: failed).");

        runner.Runs.Select(r => r.Tenant).ShouldBe(Fleet, ignoreOrder: true);
        Summary(run).ShouldBe([
            ["tenant", "result", "changes", "duration", "detail"],
            ["aarhus", "succeeded", "2", "0.0 s"],
            ["faelles-it", "failed", "0.0 s", "update failed"],
            ["odense", "failed", "0.0 s", "the backend is unreachable"],
        ]);
    }

    [Theory]
    [InlineData("up", "changes the production infrastructure")]
    [InlineData("refresh", "rewrites the stack state")]
    public void An_operation_that_writes_is_refused_without_yes(string operation, string what)
    {
        var fleet = new FakeFleet(new FakeStackRunner());

        _repository.Run(fleet.Host, "fleet", operation).ShouldFail($"'fleet {operation}' {what} of every selected tenant: run 'fleet preview' to see what would change, then add --yes.");

        fleet.Created.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("up", FleetOperation.Up)]
    [InlineData("refresh", FleetOperation.Refresh)]
    public void With_yes_the_operation_runs_on_every_tenant(string operation, FleetOperation expected)
    {
        var runner = new FakeStackRunner();

        _repository.Run(new FakeFleet(runner).Host, "fleet", operation, "--yes").ShouldSucceed();

        runner.Runs.ShouldBe(Fleet.Select(t => (t, expected)), ignoreOrder: true);
    }

    [Fact]
    public void Preview_takes_no_yes() =>
        _repository.Run(new FakeFleet(new FakeStackRunner()).Host, "fleet", "preview", "--yes").ExitCode.ShouldNotBe(0);

    [Fact]
    public void Without_the_pulumi_CLI_nothing_starts_and_one_line_says_how_to_install_it()
    {
        var fleet = new FakeFleet(new FakeStackRunner()) { PulumiInstalled = false };

        var run = _repository.Run(fleet.Host, "fleet", "up", "--yes").ShouldFail("The Pulumi CLI ('pulumi') is not on PATH");

        run.Error.ShouldBe($"error: {FleetCommand.PulumiMissing}{Environment.NewLine}");
        run.Error.ShouldContain("https://www.pulumi.com/docs/install/");
        fleet.Created.ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_tenant_is_named_and_nothing_starts()
    {
        var runner = new FakeStackRunner();

        var run = _repository.Run(new FakeFleet(runner).Host, "fleet", "preview", "--tenant", "aarhus", "--tenant", "nosuch")
            .ShouldFail("error: stacks/Pulumi.nosuch.yaml: --tenant: There is no tenant 'nosuch'.");

        run.Error.ShouldContain("fix: Use one of: aarhus, faelles-it, odense ('tenant list' shows them).");
        runner.Runs.ShouldBeEmpty();
    }

    [Fact]
    public void An_invalid_stack_file_blocks_the_run()
    {
        var path = _repository.StackPath("odense");
        File.WriteAllText(path, File.ReadAllText(path).Replace("size: small", "size: huge"));
        var runner = new FakeStackRunner();

        var run = _repository.Run(new FakeFleet(runner).Host, "fleet", "preview")
            .ShouldFail("error: stacks/Pulumi.odense.yaml: os2borgerpc:tenant.size: 'huge' is not a known size.");

        run.Error.ShouldContain("1 problem found; nothing was changed.");
        runner.Runs.ShouldBeEmpty();
        // A selection without the invalid tenant may run.
        _repository.Run(new FakeFleet(runner).Host, "fleet", "preview", "--tenant", "aarhus").ShouldSucceed();
        runner.Runs.ShouldBe([("aarhus", FleetOperation.Preview)]);
    }

    [Fact]
    public void The_selected_tenants_run_in_the_fleet_order()
    {
        var runner = new FakeStackRunner();

        var run = _repository.Run(new FakeFleet(runner).Host, "fleet", "preview", "--tenant", "odense", "--tenant", "aarhus", "--parallel", "1").ShouldSucceed();

        runner.Runs.Select(r => r.Tenant).ShouldBe(["aarhus", "odense"]);
        Summary(run).Skip(1).Select(row => row[0]).ShouldBe(["aarhus", "odense"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public void At_least_one_tenant_runs_at_a_time(string parallel)
    {
        var fleet = new FakeFleet(new FakeStackRunner());

        _repository.Run(fleet.Host, "fleet", "preview", "--parallel", parallel).ShouldFail($"--parallel {parallel}: at least one tenant must run at a time");

        fleet.Created.ShouldBeEmpty();
    }

    [Fact]
    public void The_program_is_built_once_and_every_stack_runs_it_from_a_copy_of_the_repository_s_project()
    {
        var fleet = new FakeFleet(new FakeStackRunner());

        var run = CliRun.In(_repository.Folder("infra", "deep"), fleet.Host, "fleet", "preview", "--parallel", "3").ShouldSucceed();

        var (program, output) = fleet.Build.Publishes.ShouldHaveSingleItem();
        program.ShouldBe(Path.Combine(_repository.Root, "infra", "OS2BorgerPC.Deploy.TenantProgram"));
        run.Output.ShouldContain("fleet preview: building the program once (dotnet publish infra/OS2BorgerPC.Deploy.TenantProgram, Release)");
        var settings = fleet.Created.ShouldHaveSingleItem();
        settings.ProjectFolder.ShouldNotStartWith(_repository.Root);
        var project = File.ReadAllText(Path.Combine(settings.ProjectFolder, "Pulumi.yaml"));
        project.ShouldContain($"binary: {Path.Combine(output, "OS2BorgerPC.Deploy.TenantProgram.dll")}");
        settings.LogFolder.ShouldBe(Path.Combine(_repository.Root, "fleet-logs", "20260301-100000-preview"));
        run.Output.ShouldContain("Pulumi's output: fleet-logs/20260301-100000-preview/<tenant>.log");
    }

    [Fact]
    public void A_failed_build_is_said_once_and_no_tenant_starts()
    {
        var runner = new FakeStackRunner();
        var fleet = new FakeFleet(runner, new FakeBuild { Failure = "TenantStack.cs(12,5): error CS1002: ; expected" });

        var run = _repository.Run(fleet.Host, "fleet", "preview").ShouldFail("fleet preview: building the program (infra/OS2BorgerPC.Deploy.TenantProgram) failed, so no tenant was started:");

        run.Error.ShouldContain("TenantStack.cs(12,5): error CS1002: ; expected");
        run.Error.Split("error CS1002").Length.ShouldBe(2);
        runner.Runs.ShouldBeEmpty();
    }

    [Fact]
    public void What_keeps_every_tenant_from_running_is_said_once_after_the_build_and_no_tenant_starts()
    {
        var runner = new FakeStackRunner { Unusable = "the Pulumi CLI cannot be used: Minimum version requirement failed." };
        var fleet = new FakeFleet(runner);

        var run = _repository.Run(fleet.Host, "fleet", "preview").ShouldFail(
            "fleet preview: no tenant was started: the Pulumi CLI cannot be used: Minimum version requirement failed.");

        run.Error.Split("Minimum version").Length.ShouldBe(2);
        runner.Runs.ShouldBeEmpty();
        fleet.Build.Publishes.ShouldHaveSingleItem();
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>The summary table's header and rows, as cells.</summary>
    private static string[][] Summary(CliRun run) =>
        Lines(run.Output).SkipWhile(l => !l.Contains("tenant") || !l.Contains("duration")).Select(CliRun.Cells).Where(c => c.Length > 1).ToArray();
}
