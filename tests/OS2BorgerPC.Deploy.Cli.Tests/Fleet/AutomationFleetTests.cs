using System.Diagnostics;
using System.Runtime.Versioning;
using OS2BorgerPC.Deploy.Cli.Commands;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests.Fleet;

/// <summary>
/// The built CLI, the real Automation API and a fake pulumi on PATH that answers as the Pulumi CLI does: what
/// runs where, how many at once, what lands in the logs and the summary. In a child process, so PATH is its own.
/// </summary>
[UnsupportedOSPlatform("windows")] // the fake pulumi is a shell script
public sealed class AutomationFleetTests : IDisposable
{
    private readonly TempRepository _repository = new();
    private readonly string _fake = Directory.CreateTempSubdirectory("os2bpc-fake-pulumi-").FullName;

    public AutomationFleetTests()
    {
        _repository.Run("tenant", "new", "751").ShouldSucceed();
        _repository.Run("tenant", "new", "461").ShouldSucceed();
        _repository.Run("tenant", "new", "--name", "Broken", "--slug", "broken").ShouldSucceed();
        _repository.Run("tenant", "new", "--name", "Missing", "--slug", "missing").ShouldSucceed();
        _repository.WithPulumiVersion(FakePrograms.DefaultPulumiVersion);
        FakePrograms.WriteTo(_fake);
    }

    /// <summary>Where the run's project file is: the stacks run there, not in the repository.</summary>
    private string Project => Path.Combine(FleetCommand.BuildFolder(ProjectWorkspace.Open(_repository.Root)), "project");

    public void Dispose()
    {
        _repository.Dispose();
        Directory.Delete(_fake, recursive: true);
    }

    /// <summary>
    /// A stack a killed pulumi left stuck is reported as such, with the command that clears it: a self-managed
    /// backend's stale lock, a Pulumi Cloud update still counted, pending operations (pulumi warns and goes on).
    /// </summary>
    [Fact]
    public void A_stuck_stack_is_reported_with_the_command_that_clears_it()
    {
        foreach (var slug in new[] { "locked", "busy", "interrupted" })
        {
            _repository.Run("tenant", "new", "--name", slug, "--slug", slug).ShouldSucceed();
        }

        var (_, output, _) = Cli("fleet", "preview", "--parallel", "4");

        Cells("locked", output).ShouldContain("locked by a running or killed pulumi; if none runs: pulumi cancel --stack locked --yes");
        Cells("busy", output).ShouldContain("another update is running or was killed; if none runs: pulumi cancel --stack busy --yes");
        var interrupted = Cells("interrupted", output);
        interrupted[1].ShouldBe("succeeded");
        interrupted.ShouldContain("2 pending operations of a killed run: check them, then pulumi refresh --stack interrupted");
    }

    [Fact]
    public void Preview_builds_once_and_runs_each_stack_in_its_own_workspace_on_the_published_program()
    {
        var (exitCode, output, error) = Cli("fleet", "preview", "--parallel", "2");

        exitCode.ShouldBe(1, output + error);
        Cells("aarhus", output)[..3].ShouldBe(["aarhus", "succeeded", "3"]);
        Cells("odense", output)[..3].ShouldBe(["odense", "succeeded", "3"]);
        Cells("broken", output).ShouldContain("failed to load kubeconfig: context \"aks\" not found");
        Cells("missing", output).ShouldContain("there is no stack 'missing' in the current Pulumi backend: create it with 'pulumi stack init missing'");
        error.ShouldContain("2 of 4 tenants did not succeed (broken: failed, missing: failed)");

        var build = File.ReadAllLines(Path.Combine(_fake, "builds")).ShouldHaveSingleItem();
        build.ShouldStartWith($"publish {Path.Combine(_repository.Root, "infra", "OS2BorgerPC.Deploy.TenantProgram")} --configuration Release --output ");
        var published = build.Split(' ')[5];
        File.ReadAllText(Path.Combine(Project, "Pulumi.yaml")).ShouldContain($"binary: {published}/OS2BorgerPC.Deploy.TenantProgram.dll");
        var calls = Calls();
        foreach (var stack in new[] { "aarhus", "broken", "missing", "odense" })
        {
            calls.ShouldContain(c => c.StartsWith($"{Project}: preview ", StringComparison.Ordinal) && c.Contains($"--exec-kind auto.local --stack {stack}"));
        }
        // Per tenant only its operation: the CLI's version is asked once for the run, and no stack is selected
        // (the operation names its stack and fails when there is none, as the select would).
        calls.Count(c => c.EndsWith(": version", StringComparison.Ordinal)).ShouldBe(1);
        calls.ShouldNotContain(c => c.Contains("stack select"));
        calls.Length.ShouldBe(5);
        File.ReadAllLines(Path.Combine(_fake, "in-flight")).Select(int.Parse).Max().ShouldBe(2);
    }

    [Fact]
    public void Pulumi_s_output_goes_to_each_tenant_s_log_and_not_to_the_console()
    {
        var (_, output, error) = Cli("fleet", "preview", "--tenant", "aarhus", "--tenant", "broken");

        (output + error).ShouldNotContain("Previewing update");
        var logs = Directory.GetDirectories(Path.Combine(_repository.Root, "fleet-logs")).ShouldHaveSingleItem();
        Directory.GetFiles(logs).Select(Path.GetFileName).Order().ShouldBe(["aarhus.log", "broken.log"]);
        var aarhus = File.ReadAllText(Path.Combine(logs, "aarhus.log"));
        aarhus.ShouldContain("Previewing update (aarhus)");
        aarhus.ShouldContain("warning: a message on standard error (aarhus)");
        aarhus.ShouldNotContain("broken");
        File.ReadAllText(Path.Combine(logs, "broken.log")).ShouldContain("error: failed to load kubeconfig");
    }

    // A Pulumi CLI after 3.205 (every current one) gets its engine events over gRPC instead of a file: the change
    // count comes from the summary event that arrives there. The fake sends it with curl, a program the tests install.
    [Fact]
    [Trait("Category", "RealPrograms")]
    public void Preview_counts_the_changes_a_newer_pulumi_streams_over_grpc()
    {
        var (exitCode, output, error) = Cli(new Dictionary<string, string> { ["FAKE_PULUMI_VERSION"] = "3.210.0" }, "fleet", "preview", "--tenant", "aarhus");

        exitCode.ShouldBe(0, output + error + TenantLogs());
        Cells("aarhus", output)[..3].ShouldBe(["aarhus", "succeeded", "3"]);
        Calls().ShouldContain(c => c.Contains(": preview ") && c.Contains("--event-log tcp://localhost:"));
    }

    [Fact]
    public void Up_counts_the_changes_of_the_update_it_made()
    {
        var (exitCode, output, error) = Cli("fleet", "up", "--yes", "--tenant", "aarhus");

        exitCode.ShouldBe(0, output + error);
        Cells("aarhus", output)[..3].ShouldBe(["aarhus", "succeeded", "3"]);
        var calls = Calls();
        calls.ShouldContain(c => c.Contains(": up --yes --skip-preview ") && c.Contains("--stack aarhus"));
        calls.ShouldContain(c => c.Contains(": stack history --json ") && !c.Contains("--show-secrets"));
    }

    [Fact]
    public void A_build_that_fails_is_said_once_and_no_stack_runs()
    {
        var (exitCode, output, error) = Cli(new Dictionary<string, string> { ["FAKE_BUILD_ERROR"] = "TenantStack.cs(12,5): error CS1002: ; expected" }, "fleet", "preview");

        exitCode.ShouldBe(1, output + error);
        error.ShouldContain("fleet preview: building the program (infra/OS2BorgerPC.Deploy.TenantProgram) failed, so no tenant was started:");
        error.Split("error CS1002").Length.ShouldBe(2);
        // Only the CLI's version was asked, while the program built.
        Calls().ShouldBe([$"{_repository.Root}: version"]);
    }

    [Fact]
    public void A_pulumi_too_old_for_the_automation_api_is_said_once_and_no_stack_runs()
    {
        var (exitCode, output, error) = Cli(new Dictionary<string, string> { ["FAKE_PULUMI_VERSION"] = "3.0.0" }, "fleet", "preview");

        exitCode.ShouldBe(1, output + error);
        error.ShouldContain("fleet preview: no tenant was started: the Pulumi CLI cannot be used: Minimum version requirement failed. The minimum CLI version requirement is 3.1.0, your current CLI version is 3.0.0.");
        error.Split("Minimum version requirement failed").Length.ShouldBe(2);
        output.ShouldNotContain("started");
        Calls().ShouldBe([$"{_repository.Root}: version"]);
    }

    [Fact]
    public void Up_goes_ring_by_ring_and_stops_once_a_ring_s_failures_cross_the_threshold()
    {
        // aarhus is the canary; broken and missing are early (two failures of two); odense is broad.
        SetRing("aarhus", "canary");
        SetRing("broken", "early");
        SetRing("missing", "early");

        var (exitCode, output, error) = Cli("fleet", "up", "--yes", "--parallel", "1", "--max-failures", "50");

        exitCode.ShouldBe(1, output + error);
        var ups = Calls().Where(c => c.Contains(": up ")).ToList();
        // odense (broad) never started.
        ups.Select(c => c.Split("--stack ")[1].Split(' ')[0]).ShouldBe(["aarhus", "broken", "missing"]);
        // The early ring's first failure (1 of 2) is within 50%: its second tenant starts, and fails too.
        Cells("broken", output)[1].ShouldBe("failed");
        Cells("missing", output)[1].ShouldBe("failed");
        Cells("odense", output)[1].ShouldBe("not started");
        error.ShouldContain("ring early: 2 of 2 tenant(s) failed (broken: failed to load kubeconfig: context \"aks\" not found; missing: there is no stack 'missing' in the current Pulumi backend");
        error.ShouldContain("more than the 50% allowed, so no further tenant of the ring started (0 not started) and no later ring runs.");
        output.ShouldContain("ring canary: all 1 tenant(s) succeeded.");
    }

    [Fact]
    public void Up_of_one_ring_runs_only_that_ring_s_tenants()
    {
        SetRing("aarhus", "canary");

        var (exitCode, output, error) = Cli("fleet", "up", "--yes", "--ring", "canary");

        exitCode.ShouldBe(0, output + error);
        Calls().Where(c => c.Contains(": up ")).ShouldHaveSingleItem().ShouldContain("--stack aarhus");
        output.ShouldContain("ring canary: all 1 tenant(s) succeeded");
    }

    [Theory]
    [InlineData("--ring", "first", "--ring: 'first' is not a rollout ring.")]
    [InlineData("--max-failures", "150", "--max-failures: is 150, outside 0-100.")]
    public void A_bad_ring_or_threshold_starts_nothing(string option, string value, string says)
    {
        var (exitCode, output, error) = Cli("fleet", "up", "--yes", option, value);

        exitCode.ShouldBe(1, output + error);
        error.ShouldContain(says);
        File.Exists(Path.Combine(_fake, "calls")).ShouldBeFalse();
    }

    private void SetRing(string stack, string ring)
    {
        var file = Path.Combine(_repository.Root, "stacks", $"Pulumi.{stack}.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("    ring: broad", $"    ring: {ring}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pulumi_older_than_the_pinned_version_is_said_once_and_no_stack_runs()
    {
        _repository.WithPulumiVersion("3.151.0");

        var (exitCode, output, error) = Cli("fleet", "preview");

        exitCode.ShouldBe(1, output + error);
        error.ShouldContain("fleet preview: no tenant was started: the Pulumi CLI cannot be used: it is 3.150.0, older than 3.151.0, the version the fleet runs (.pulumi-version): install 3.151.0");
        Calls().ShouldBe([$"{_repository.Root}: version"]);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("3.150")]
    public void A_pinned_version_that_does_not_parse_starts_nothing(string pin)
    {
        _repository.WithPulumiVersion(pin);

        var (exitCode, output, error) = Cli("fleet", "preview");

        exitCode.ShouldBe(1, output + error);
        error.ShouldContain($"error: .pulumi-version: (file): '{pin}' is not a Pulumi CLI version.");
        error.ShouldContain("fix: Write the one Pulumi CLI version the fleet runs into .pulumi-version");
        File.Exists(Path.Combine(_fake, "calls")).ShouldBeFalse();
    }

    /// <summary>Every call of the fake pulumi so far, as '&lt;working folder&gt;: &lt;arguments&gt;'.</summary>
    private string[] Calls() => File.ReadAllLines(Path.Combine(_fake, "calls"));

    /// <summary>What pulumi (the fake) said in the runs so far: the reason when a tenant failed.</summary>
    private string TenantLogs() =>
        string.Concat(Directory.GetFiles(Path.Combine(_repository.Root, "fleet-logs"), "*.log", SearchOption.AllDirectories).Select(File.ReadAllText));

    private (int ExitCode, string Output, string Error) Cli(params string[] args) => Cli(new Dictionary<string, string>(), args);

    /// <summary>The built CLI, in the repository, with the fake pulumi and dotnet first on PATH.</summary>
    private (int ExitCode, string Output, string Error) Cli(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost()) { WorkingDirectory = _repository.Root };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "OS2BorgerPC.Deploy.Cli.dll"), .. args])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PATH"] = $"{_fake}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["FAKE"] = _fake;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return ChildProcess.Run(start, TimeSpan.FromSeconds(60));
    }

    /// <summary>The dotnet that runs these tests.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? Environment.ProcessPath ?? "dotnet";

    private static string[] Cells(string tenant, string output) =>
        CliRun.Cells(output.Split('\n').Single(line => CliRun.Cells(line).FirstOrDefault() == tenant));
}
