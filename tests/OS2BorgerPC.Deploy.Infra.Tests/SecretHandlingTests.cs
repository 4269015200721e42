using System.Collections;
using OS2BorgerPC.Deploy.Infra.Tests.Testing;

namespace OS2BorgerPC.Deploy.Infra.Tests;

/// <summary>Generated and operator secrets travel only inside Kubernetes Secrets, never as literals elsewhere.</summary>
[Collection(PulumiCollection.Name)]
public sealed class SecretHandlingTests
{
    [Fact]
    public async Task No_secret_value_appears_in_any_input_except_a_kubernetes_secret()
    {
        var yaml = File.ReadAllText(Path.Combine(StackHarness.RepositoryRoot, "stacks", "Pulumi.demo.yaml"))
            .Replace("    smokeCheck: false", "    smokeCheck: false\n    email:\n      host: smtp.example.dk\n      username: borgerpc\n      from: borgerpc@example.dk")
            + "  os2borgerpc:emailPassword:\n    secure: v1:AAAA\n";
        var run = await StackHarness.Run("demo", yaml);

        var secretHolders = new HashSet<string> { "kubernetes:core/v1:Secret" };
        var leaks = run.Inputs
            .Where(i => !secretHolders.Contains(i.Type))
            .SelectMany(i => Strings(i.Inputs).Select(text => (i.Type, i.Name, text)))
            .Where(x => x.text.Contains(TenantMocks.FakeSecretPrefix, StringComparison.Ordinal))
            .ToList();
        leaks.ShouldBeEmpty();
        // The test would notice a leak: the values do reach the Secrets.
        run.Inputs.Where(i => i.Type == "kubernetes:core/v1:Secret").SelectMany(i => Strings(i.Inputs))
            .ShouldContain(text => text == StackHarness.EmailPassword);
    }

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        string text => [text],
        IDictionary map => map.Values.Cast<object?>().SelectMany(Strings),
        IEnumerable list => list.Cast<object?>().SelectMany(Strings),
        _ => [],
    };
}
