using System.Collections;
using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

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
            .Replace("    smokeCheck:", "    email:\n      host: smtp.example.dk\n      username: borgerpc\n      from: borgerpc@example.dk\n      relayCidrs: [192.0.2.25/32]\n    smokeCheck:")
            + "  os2borgerpc:emailPassword:\n    secure: v1:AAAA\n";
        var run = await StackHarness.Run(stack, yaml);

        // A managed server is given its admin password: that is where it belongs. The cluster's provider holds none.
        var secretHolders = new HashSet<string> { "kubernetes:core/v1:Secret", "azure:postgresql/flexibleServer:FlexibleServer" };
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

    private const string SecretType = "kubernetes:core/v1:Secret";

    [Fact]
    public async Task On_an_s3_platform_the_tenants_own_key_is_its_credentials_secret_guarded_like_the_data_and_read_by_reference()
    {
        var run = await StackHarness.RunShipped("demo");

        var secret = run.InputsOf(SecretType, "backup-store-credentials").Inputs;
        var metadata = (IDictionary<string, object>)secret["metadata"];
        var name = StackHarness.PlatformOf("demo").Backup.CredentialsSecretName;
        metadata["name"].ShouldBe(name);
        metadata["namespace"].ShouldBe("os2borgerpc-demo");
        // Both halves are the stack's secure values (the engine's stand-in under mocks), never a platform-wide key.
        var data = (IDictionary<string, object>)secret["stringData"];
        data.Keys.ShouldBe(["ACCESS_KEY_ID", "ACCESS_SECRET_KEY"], ignoreOrder: true);
        data.Values.ShouldAllBe(value => (string)value == StackHarness.EmailPassword);
        var options = run.OptionsOf(SecretType, "backup-store-credentials");
        (options.Protect, options.RetainOnDelete).ShouldBe((true, true), "without it no backup is written and none restored");
        // The Barman Cloud plugin's archiving reads it by name, from the tenant's ObjectStore.
        var objectStore = (IDictionary<string, object>)run.InputsOf("kubernetes:barmancloud.cnpg.io/v1:ObjectStore", "offsite").Inputs["spec"];
        var store = (IDictionary<string, object>)objectStore["configuration"];
        var credentials = (IDictionary<string, object>)store["s3Credentials"];
        ((IDictionary<string, object>)credentials["accessKeyId"])["name"].ShouldBe(name);
        ((IDictionary<string, object>)credentials["secretAccessKey"])["name"].ShouldBe(name);
    }

    [Fact]
    public async Task On_an_azure_blob_platform_no_key_exists_since_the_tenants_identity_reaches_the_store()
    {
        var run = await StackHarness.RunShipped("faelles-it");

        run.Inputs.ShouldNotContain(i => i.Type == SecretType && i.Name == "backup-store-credentials");
    }

    [Fact]
    public async Task A_tenant_on_an_s3_platform_without_its_own_key_is_refused_before_anything_is_provisioned()
    {
        var yaml = string.Join('\n', RepositoryRoot.StackText("demo").Split('\n')
            .SkipWhile(line => !line.StartsWith("config:", StringComparison.Ordinal))
            .Where(line => !line.StartsWith("  os2borgerpc:backupS3", StringComparison.Ordinal) && !line.StartsWith("    secure:", StringComparison.Ordinal)));

        var error = await Should.ThrowAsync<Exception>(() => StackHarness.Run("demo", yaml));

        error.ToString().ShouldContain("os2borgerpc:backupS3AccessKeyId");
        error.ToString().ShouldContain("tenants/demo/");
        error.ToString().ShouldContain("nothing was provisioned");
    }

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        string text => [text],
        IDictionary map => map.Values.Cast<object?>().SelectMany(Strings),
        IEnumerable list => list.Cast<object?>().SelectMany(Strings),
        _ => [],
    };
}
