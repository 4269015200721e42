using System.Security.Cryptography;
using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Security;

/// <summary>
/// Generated passwords meet Azure's administrator rule (8-128 characters, three of four categories, not the
/// login) by construction, and every character is safe in a URL and an unquoted shell word.
/// </summary>
public sealed class PasswordPolicyTests
{
    private const string Login = "os2borgerpc";

    public static TheoryData<string, PasswordRule> DatabaseRules() => new()
    {
        { nameof(PasswordPolicy.Database), PasswordPolicy.Database },
        { nameof(PasswordPolicy.BootstrapAdmin), PasswordPolicy.BootstrapAdmin },
    };

    [Theory]
    [MemberData(nameof(DatabaseRules))]
    public void Password_rules_guarantee_three_of_azures_four_categories_by_their_minimums(string name, PasswordRule rule)
    {
        rule.GuaranteedCategories.ShouldBeGreaterThanOrEqualTo(3, name);
        rule.Length.ShouldBeInRange(PasswordPolicy.AzureMinLength, PasswordPolicy.AzureMaxLength, name);
        (rule.MinUpper + rule.MinLower + rule.MinNumeric + rule.MinSpecial).ShouldBeLessThanOrEqualTo(rule.Length, name);
        PasswordPolicy.IsUrlSafe(rule.Alphabet).ShouldBeTrue(name);
    }

    /// <summary>
    /// The generator's rules, simulated: the minimum of each class first, the rest from the whole alphabet, shuffled
    /// (as Pulumi.Random's RandomPassword builds one). Many configurations, many passwords each.
    /// </summary>
    [Fact]
    public void Generated_database_passwords_meet_azures_rule_over_many_configurations()
    {
        var configurations = 0;
        foreach (var length in new[] { PasswordPolicy.Database.Length, PasswordPolicy.BootstrapAdmin.Length, 8, 9, 16, 128 })
        {
            foreach (var rule in new[] { PasswordPolicy.Database, PasswordPolicy.BootstrapAdmin })
            {
                var sized = rule with { Length = length };
                configurations++;
                for (var i = 0; i < 1_000; i++)
                {
                    var password = Generate(sized);
                    PasswordPolicy.MeetsAzureRule(password, Login).ShouldBeTrue($"{password} ({sized})");
                    PasswordPolicy.IsUrlSafe(password).ShouldBeTrue(password);
                }
            }
        }
        configurations.ShouldBe(12);
    }

    /// <summary>The defect this policy fixes: letters and digits with no minimums fail Azure's rule for a share of passwords.</summary>
    [Fact]
    public void Without_minimums_some_short_generated_passwords_fail_azures_rule()
    {
        var unconstrained = new PasswordRule(8, 0, 0, 0, "", 0);

        Enumerable.Range(0, 5_000).Select(_ => Generate(unconstrained)).Count(p => !PasswordPolicy.MeetsAzureRule(p, Login))
            .ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("Abcdefg1", true)]
    [InlineData("abcdefg1", false)] // two categories
    [InlineData("Abc1", false)] // too short
    [InlineData("Abcdefg_", true)] // upper, lower, special
    [InlineData("xOS2BORGERPCx1a", false)] // contains the login, in any case
    public void Azures_rule_as_the_tests_apply_it(string password, bool accepted) =>
        PasswordPolicy.MeetsAzureRule(password, Login).ShouldBe(accepted);

    [Fact]
    public void The_django_secret_key_rule_guarantees_all_four_categories() =>
        PasswordPolicy.DjangoSecretKey.GuaranteedCategories.ShouldBe(4);

    private static string Generate(PasswordRule rule)
    {
        var chars = new List<char>();
        Add(chars, PasswordRule.Upper, rule.MinUpper);
        Add(chars, PasswordRule.Lower, rule.MinLower);
        Add(chars, PasswordRule.Digits, rule.MinNumeric);
        Add(chars, rule.Special, rule.MinSpecial);
        Add(chars, rule.Alphabet, rule.Length - chars.Count);
        var array = chars.ToArray();
        RandomNumberGenerator.Shuffle(array.AsSpan());
        return new string(array);
    }

    private static void Add(List<char> chars, string alphabet, int count)
    {
        for (var i = 0; i < count; i++)
        {
            chars.Add(alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
        }
    }
}
