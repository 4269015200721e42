using OS2BorgerPC.Deploy.TenantDecisions.Rendering;
using OS2BorgerPC.Deploy.Testing;
using YamlDotNet.RepresentationModel;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>
/// <c>tenant render</c>: the tenant's Kubernetes objects as YAML, from the program run against mocks; no secret
/// value, generated or configured, ever in the output. (Runs the Pulumi program: one test at a time in this class.)
/// </summary>
public sealed class TenantRenderTests : IDisposable
{
    private const string Ciphertext = "v1:AAAAciphertextOfTheRelayPassword";
    private readonly TempRepository _repository = new();
    private readonly string _facts;

    public TenantRenderTests()
    {
        // An azure tenant with an e-mail relay and its (encrypted) password: every kind of secret the program handles.
        _repository.Run("tenant", "new", "751", "--hosting", "azure", "--egress", "20.50.1.0/28").ShouldSucceed();
        var path = _repository.StackPath("aarhus");
        File.WriteAllText(path, File.ReadAllText(path)
            .Replace("    smokeCheck:", "    email:\n      host: smtp.example.dk\n      username: borgerpc\n      from: borgerpc@example.dk\n      relayCidrs: [192.0.2.25/32]\n    smokeCheck:")
            + $"  os2borgerpc:emailPassword:\n    secure: {Ciphertext}\n");
        // The platform stack's recorded output, as an operator passes it.
        _facts = Path.Combine(_repository.Root, "platform-facts.json");
        File.WriteAllText(_facts, RecordedPlatform.Azure.ToJson());
    }

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Output_writes_one_yaml_file_per_object_and_secrets_only_as_placeholders()
    {
        var run = _repository.Run("tenant", "render", "aarhus", "--platform-facts", _facts, "--output", "rendered/aarhus").ShouldSucceed();

        var files = Directory.GetFiles(Path.Combine(_repository.Root, "rendered", "aarhus"));
        run.Output.ShouldContain($"Wrote {files.Length} objects of aarhus to rendered/aarhus.");
        files.Select(Path.GetFileName).ShouldContain("core-v1-namespace-os2borgerpc-aarhus.yaml");
        files.Select(Path.GetFileName).ShouldContain(name => name!.StartsWith("apps-v1-deployment-", StringComparison.Ordinal));
        var secrets = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var yaml = new YamlStream();
            yaml.Load(new StringReader(text));
            var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
            root.Children.ShouldContainKey(new YamlScalarNode("apiVersion"));
            text.ShouldNotContain(Ciphertext);
            text.ShouldNotContain("secure:");
            if (((YamlScalarNode)root.Children[new YamlScalarNode("kind")]).Value == "Secret")
            {
                secrets++;
                var values = (YamlMappingNode)root.Children[new YamlScalarNode("stringData")];
                values.Children.Values.ShouldAllBe(value => ((YamlScalarNode)value).Value == KubernetesManifest.SecretPlaceholder);
            }
        }
        secrets.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Without_output_the_objects_go_to_standard_output_as_one_yaml_stream()
    {
        var output = _repository.Run("tenant", "render", "aarhus", "--platform-facts", _facts).ShouldSucceed().Output;
        _repository.Run("tenant", "render", "aarhus", "--platform-facts", _facts, "--output", "all").ShouldSucceed();

        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        yaml.Documents.Count.ShouldBe(Directory.GetFiles(Path.Combine(_repository.Root, "all")).Length);
        output.ShouldContain("kind: NetworkPolicy");
        output.ShouldNotContain(Ciphertext);
    }

    [Fact]
    public void A_folder_that_is_not_empty_is_refused()
    {
        File.WriteAllText(Path.Combine(_repository.Folder("out"), "old.yaml"), "kind: ConfigMap\n");

        _repository.Run("tenant", "render", "aarhus", "--platform-facts", _facts, "--output", "out").ShouldFail("out is not empty.");
    }

    [Fact]
    public void A_tenant_on_a_platform_stack_needs_its_recorded_facts() =>
        _repository.Run("tenant", "render", "aarhus").ShouldFail("pass --platform-facts");

    [Fact]
    public void A_facts_file_that_cannot_be_read_is_named() =>
        _repository.Run("tenant", "render", "aarhus", "--platform-facts", "nosuch.json").ShouldFail("--platform-facts: nosuch.json cannot be read");

    [Fact]
    public void An_unknown_tenant_is_refused() =>
        _repository.Run("tenant", "render", "odense").ShouldFail("There is no stack file for 'odense'");
}
