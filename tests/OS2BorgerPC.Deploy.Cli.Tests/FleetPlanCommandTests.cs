using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary><c>fleet plan</c> (deploy.yml's split of the tenants behind main into rings) and <c>platform list</c>.</summary>
public sealed class FleetPlanCommandTests : IDisposable
{
    private readonly TempRepository _repository = new();

    public FleetPlanCommandTests()
    {
        _repository.Run("tenant", "new", "751", "--ring", "canary").ShouldSucceed();
        _repository.Run("tenant", "new", "461", "--ring", "early").ShouldSucceed();
        _repository.Run("tenant", "new", "630").ShouldSucceed();
        _repository.Run("tenant", "new", "615").ShouldSucceed();
    }

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void The_tenants_given_are_split_into_their_rings_with_the_threshold()
    {
        _repository.Run("fleet", "plan", "--tenants", "[\"vejle\",\"aarhus\",\"odense\"]").ShouldSucceed().Output.Trim()
            .ShouldBe("{\"maxFailuresPercent\":10,\"canary\":[\"aarhus\"],\"early\":[\"odense\"],\"broad\":[\"vejle\"]}");
    }

    [Fact]
    public void No_tenant_gives_empty_rings_and_the_option_overrides_the_threshold()
    {
        _repository.Run("fleet", "plan", "--tenants", "[]", "--max-failures", "0").ShouldSucceed().Output.Trim()
            .ShouldBe("{\"maxFailuresPercent\":0,\"canary\":[],\"early\":[],\"broad\":[]}");
    }

    [Theory]
    [InlineData("[\"nosuch\"]", "There is no tenant 'nosuch'.")]
    [InlineData("aarhus", "not a JSON array of slugs")]
    public void An_unknown_tenant_or_a_list_that_is_no_json_array_is_refused(string tenants, string says)
    {
        var run = _repository.Run("fleet", "plan", "--tenants", tenants);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain(says);
    }

    [Fact]
    public void A_threshold_outside_0_to_100_in_Pulumi_yaml_is_refused()
    {
        _repository.WithFleetDefault("rolloutMaxFailuresPercent", "150");

        var run = _repository.Run("fleet", "plan", "--tenants", "[\"aarhus\"]");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("error: Pulumi.yaml: os2borgerpc:rolloutMaxFailuresPercent: is 150, outside 0-100.");
    }

    [Fact]
    public void Platform_list_gives_the_platform_stacks_as_json() =>
        _repository.Run("platform", "list", "--json").ShouldSucceed().Output.Trim().ShouldBe("[\"demo\",\"prod\"]");
}
