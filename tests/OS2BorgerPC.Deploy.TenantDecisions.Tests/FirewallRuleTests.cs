using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>Azure firewall rules take first and last address; an off-by-one opens or closes a neighbour's address.</summary>
public sealed class FirewallRuleTests
{
    [Theory]
    [InlineData("20.50.1.0/28", "20.50.1.0", "20.50.1.15")]
    [InlineData("20.50.1.10", "20.50.1.10", "20.50.1.10")]
    [InlineData("20.50.1.10/32", "20.50.1.10", "20.50.1.10")]
    [InlineData("20.50.0.0/16", "20.50.0.0", "20.50.255.255")]
    [InlineData("20.50.4.0/22", "20.50.4.0", "20.50.7.255")]
    [InlineData("20.50.1.128/25", "20.50.1.128", "20.50.1.255")]
    public void A_range_becomes_its_first_and_last_address(string range, string start, string end)
    {
        Rules.TryParseAddressOrCidr(range, out var network).ShouldBeTrue();

        var rule = new AzureDatabaseNetwork.Firewall([network]).Rules.ShouldHaveSingleItem();

        rule.ShouldBe(new FirewallRule("cluster-egress-1", start, end));
    }

    [Fact]
    public void Each_range_gets_its_own_numbered_rule()
    {
        var ranges = new[] { "20.50.1.10", "20.50.2.0/28" }
            .Select(text => Rules.TryParseAddressOrCidr(text, out var network) ? network : throw new FormatException(text));

        new AzureDatabaseNetwork.Firewall([.. ranges]).Rules.Select(r => r.Name).ShouldBe(["cluster-egress-1", "cluster-egress-2"]);
    }
}
