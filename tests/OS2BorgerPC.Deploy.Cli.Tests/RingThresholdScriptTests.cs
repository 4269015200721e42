using CliWrap;
using CliWrap.Buffered;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>
/// .github/scripts/ring-threshold.sh under bash and jq, with a fake gh that answers the jobs API from a recorded page
/// (filtered by the real jq, as gh's --jq does): a ring's unstarted stack refuses to start once the ring's failures in
/// the run cross the threshold.
/// </summary>
[Trait("Category", "RealPrograms")] // jq
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the fake gh is a shell script
public sealed class RingThresholdScriptTests : IDisposable
{
    private readonly string _fake = Directory.CreateTempSubdirectory("os2bpc-fake-gh-").FullName;

    public RingThresholdScriptTests()
    {
        var gh = Path.Combine(_fake, "gh");
        // gh api --paginate <path> --jq <filter>: the filter applied to $FAKE_JOBS.
        File.WriteAllText(gh, "#!/bin/sh\nprevious=\nfor argument in \"$@\"; do [ \"$previous\" != --jq ] || filter=$argument; previous=$argument; done\n" +
            "echo \"$*\" >> \"$FAKE/calls\"\njq -r \"$filter\" \"$FAKE_JOBS\"\n");
        File.SetUnixFileMode(gh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(_fake, recursive: true);

    [Theory]
    // The early ring (odense, vejle, horsens, kolding) at 25%: one failure is within, two cross it.
    [InlineData(new[] { "odense" }, 25, 0)]
    [InlineData(new[] { "odense", "vejle" }, 25, 1)]
    [InlineData(new[] { "odense" }, 0, 1)]
    // A failure in another ring (the canary's aarhus) or a cancelled job is not this ring's failure.
    [InlineData(new[] { "aarhus" }, 0, 0)]
    [InlineData(new string[0], 0, 0)]
    public async Task A_ring_stops_starting_once_its_failures_cross_the_threshold(string[] failed, int percent, int exitCode)
    {
        var jobs = new[] { "aarhus", "odense", "vejle", "horsens" }.Select(tenant => new
        {
            name = $"{(tenant == "aarhus" ? "canary" : "early")} / up {tenant}",
            conclusion = failed.Contains(tenant) ? "failure" : tenant == "horsens" ? "cancelled" : "success",
        }).Append(new { name = "behind", conclusion = "failure" });
        var page = Path.Combine(_fake, "jobs.json");
        await File.WriteAllTextAsync(page, System.Text.Json.JsonSerializer.Serialize(new { jobs }));

        var result = await Run("[\"odense\",\"vejle\",\"horsens\",\"kolding\"]", $"{percent}", page);

        result.ExitCode.ShouldBe(exitCode, result.StandardOutput + result.StandardError);
        if (exitCode == 1)
        {
            result.StandardOutput.ShouldContain($"::error::Not started: {failed.Length} of the ring's 4 stacks failed in this run ({string.Join(", ", failed.Order())}; their jobs' logs say why), more than the {percent}% allowed");
        }
        File.ReadAllText(Path.Combine(_fake, "calls")).ShouldStartWith("api --paginate repos/os2/deploy/actions/runs/42/attempts/1/jobs ");
    }

    [Theory]
    [InlineData("101")]
    [InlineData("ten")]
    public async Task A_threshold_outside_0_to_100_is_refused_with_the_key_to_fix(string percent)
    {
        var result = await Run("[\"odense\"]", percent, "/dev/null");

        result.ExitCode.ShouldBe(1);
        result.StandardOutput.ShouldContain($"::error::max-failures '{percent}' is outside 0-100: set rolloutMaxFailuresPercent in Pulumi.yaml");
    }

    private Task<BufferedCommandResult> Run(string ring, string percent, string page) =>
        CliWrap.Cli.Wrap("bash").WithArguments([".github/scripts/ring-threshold.sh", ring, percent])
            .WithWorkingDirectory(RepositoryRoot.FullPath)
            .WithEnvironmentVariables(env => env
                .Set("PATH", $"{_fake}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}")
                .Set("FAKE", _fake).Set("FAKE_JOBS", page)
                .Set("GITHUB_REPOSITORY", "os2/deploy").Set("GITHUB_RUN_ID", "42").Set("GITHUB_RUN_ATTEMPT", "1"))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
}
