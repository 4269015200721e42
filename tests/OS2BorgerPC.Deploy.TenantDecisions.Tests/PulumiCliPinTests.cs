using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>The one Pulumi CLI version the fleet runs: read from .pulumi-version, and an older CLI refused.</summary>
public sealed class PulumiCliPinTests
{
    [Fact]
    public void The_repository_records_one_exact_version() =>
        PulumiCliPin.Read(RepositoryRoot.Workspace()).Version.ShouldNotBeNull().ToString(3)
            .ShouldBe(File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, ".pulumi-version")).Trim());

    [Theory]
    [InlineData("3.272.0\n", "3.272.0")]
    [InlineData("v3.272.0", "3.272.0")] // as 'pulumi version' prints it
    public void A_version_is_read_with_or_without_its_v(string text, string version)
    {
        using var repository = new TempRepository().WithPulumiVersion(text);

        PulumiCliPin.Read(repository.Open()).Version.ShouldBe(Version.Parse(version));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("^3")]
    [InlineData("3.272")]
    [InlineData("3.272.0-alpha.1")]
    [InlineData("")]
    public void A_version_that_does_not_parse_names_the_file_and_the_fix(string text)
    {
        using var repository = new TempRepository().WithPulumiVersion(text);

        var problem = PulumiCliPin.Read(repository.Open()).Problem.ShouldNotBeNull();

        problem.File.ShouldBe(".pulumi-version");
        problem.Message.ShouldBe($"'{text}' is not a Pulumi CLI version.");
        problem.Fix.ShouldContain("an exact X.Y.Z such as 3.272.0");
    }

    [Fact]
    public void A_missing_file_is_a_problem_not_a_default()
    {
        using var repository = new TempRepository();
        File.Delete(Path.Combine(repository.Root, ".pulumi-version"));

        PulumiCliPin.Read(repository.Open()).Problem.ShouldNotBeNull().Message.ShouldBe("is missing.");
    }

    [Theory]
    [InlineData("3.271.9", true)]
    [InlineData("3.272.0", false)]
    [InlineData("3.300.1", false)] // newer is allowed: a workstation need not downgrade
    public void Only_an_older_cli_is_refused(string installed, bool refused) =>
        (PulumiCliPin.Refusal(Version.Parse(installed), new Version(3, 272, 0)) is not null).ShouldBe(refused);

    [Fact]
    public void A_cli_of_unknown_version_is_refused() =>
        PulumiCliPin.Refusal(null, new Version(3, 272, 0)).ShouldNotBeNull().ShouldContain("its version is unknown");
}
