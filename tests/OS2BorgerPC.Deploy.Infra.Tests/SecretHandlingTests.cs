using System.Collections;
using OS2BorgerPC.Deploy.Infra.Tests.Testing;

namespace OS2BorgerPC.Deploy.Infra.Tests;

/// <summary>Generated and operator secrets travel only inside Kubernetes Secrets, never as literals elsewhere.</summary>
[Collection(PulumiCollection.Name)]
public sealed class SecretHandlingTests
{
    /// <summary>Every stack with an e-mail relay and its password; the live ones run commands too.</summary>
    [Theory]
    [InlineData("demo")]
    [InlineData("faelles-it")]
    [InlineData("aarhus")]
    public async Task No_secret_value_appears_in_any_input_except_a_kubernetes_secret_or_the_server_it_sets(string stack)
    {
        var yaml = RepositoryRoot.StackText(stack)
            .Replace("    smokeCheck:", "    email:\n      host: smtp.example.dk\n      username: borgerpc\n      from: borgerpc@example.dk\n    smokeCheck:")
            + "  os2borgerpc:emailPassword:\n    secure: v1:AAAA\n";
        var run = await StackHarness.Run(stack, yaml);

        // A managed server is given its admin password, the cluster's provider the platform's kubeconfig (a secret
        // output of the platform stack): that is where they belong.
        var secretHolders = new HashSet<string> { "kubernetes:core/v1:Secret", "azure:postgresql/flexibleServer:FlexibleServer", "pulumi:providers:kubernetes" };
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
