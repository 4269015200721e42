using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests.Fleet;

/// <summary>The Pulumi CLI pin (.pulumi-version) and the Pulumi.Automation package move together.</summary>
public sealed class PulumiCliPinAutomationTests
{
    /// <summary>
    /// The Automation API refuses a CLI below its own minimum (pulumi/pulumi-dotnet, sdk/Pulumi.Automation/Commands/
    /// LocalPulumiCommand.cs, <c>_minimumVersion</c>: 3.1.0 in Pulumi.Automation 3.112.1): the pinned CLI is never below it.
    /// A package update that raises it fails here until .pulumi-version moves too (renovate.json groups them).
    /// </summary>
    [Fact]
    public void The_pinned_cli_is_at_least_the_automation_package_s_minimum()
    {
        var field = typeof(Pulumi.Automation.Commands.LocalPulumiCommand).GetField("_minimumVersion",
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static).ShouldNotBeNull();
        var minimum = field.GetValue(null).ShouldBeOfType<Semver.SemVersion>();
        minimum.ToString().ShouldBe("3.1.0"); // Pulumi.Automation 3.112.1

        var pinned = OS2BorgerPC.Deploy.TenantDecisions.Configuration.PulumiCliPin.Read(RepositoryRoot.Workspace()).Version.ShouldNotBeNull();
        pinned.ShouldBeGreaterThanOrEqualTo(new Version((int)minimum.Major, (int)minimum.Minor, (int)minimum.Patch));
    }
}
