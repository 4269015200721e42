using OS2BorgerPC.Deploy.TenantDecisions.Fleet;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Status;

public sealed class DriftResultsTests
{
    [Fact]
    public void The_drift_workflow_s_file_gives_each_tenant_its_verdict()
    {
        var (results, problem) = DriftResults.Parse("""
            { "tenants": {
                "aarhus": { "result": "clean", "checkedAt": "2026-03-01T04:40:00Z" },
                "odense": { "result": "drifted", "checkedAt": "2026-03-01T04:41:00Z", "detail": "2 resources changed" },
                "vejle": { "result": "failed", "checkedAt": "2026-03-01T04:42:00Z" } } }
            """, "drift-result.json");

        problem.ShouldBeNull();
        results!["aarhus"].ShouldBe(new DriftResult(DriftVerdict.Clean, new DateTimeOffset(2026, 3, 1, 4, 40, 0, TimeSpan.Zero), null));
        results["odense"].ShouldBe(new DriftResult(DriftVerdict.Drifted, new DateTimeOffset(2026, 3, 1, 4, 41, 0, TimeSpan.Zero), "2 resources changed"));
        results["vejle"].Verdict.ShouldBe(DriftVerdict.Failed);
    }

    [Theory]
    [InlineData("""{ "tenants": { "aarhus": { "result": "fine", "checkedAt": "2026-03-01T04:40:00Z" } } }""")]
    [InlineData("""{ "tenants": { "aarhus": { "result": "clean" } } }""")]
    [InlineData("""{ "stacks": {} }""")]
    [InlineData("""not json""")]
    public void A_file_that_is_not_a_drift_result_is_a_problem_naming_the_file(string json)
    {
        var (results, problem) = DriftResults.Parse(json, "drift-result.json");

        results.ShouldBeNull();
        problem.ShouldNotBeNull().File.ShouldBe("drift-result.json");
        problem.Message.ShouldStartWith("is not a drift result file");
    }
}
