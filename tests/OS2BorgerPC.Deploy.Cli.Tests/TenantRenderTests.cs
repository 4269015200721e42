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
        // kubectl apply -f <folder> takes the files in name order: the namespace first, the workloads after what they use.
        var names = files.Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        names[0].ShouldBe("0-core-v1-namespace-os2borgerpc-aarhus.yaml");
        names.ShouldContain(name => name!.StartsWith("6-apps-v1-deployment-", StringComparison.Ordinal));
        names.FindIndex(name => name!.Contains("-v1-secret-")).ShouldBeLessThan(names.FindIndex(name => name!.Contains("-deployment-")));
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
        // In apply order, as kubectl apply -f - takes a stream's documents in turn: by the stage each file name begins with.
        var stageOf = Directory.GetFiles(Path.Combine(_repository.Root, "all")).ToDictionary(file =>
        {
            var one = new YamlStream();
            one.Load(new StringReader(File.ReadAllText(file)));
            return Identity(one.Documents.Single().RootNode);
        }, file => Path.GetFileName(file)[0]);
        var stages = yaml.Documents.Select(document => stageOf[Identity(document.RootNode)]).ToList();
        stages.ShouldBe(stages.Order().ToList());
        output.ShouldContain("kind: NetworkPolicy");
        output.ShouldNotContain(Ciphertext);
    }

    /// <summary>An object's kind and name.</summary>
    private static string Identity(YamlNode root)
    {
        var fields = ((YamlMappingNode)root).Children;
        var metadata = (YamlMappingNode)fields[new YamlScalarNode("metadata")];
        return $"{fields[new YamlScalarNode("kind")]} {metadata.Children[new YamlScalarNode("name")]}";
    }

    [Fact]
    public void A_folder_that_is_not_empty_is_refused()
    {
        File.WriteAllText(Path.Combine(_repository.Folder("out"), "old.yaml"), "kind: ConfigMap\n");

        _repository.Run("tenant", "render", "aarhus", "--platform-facts", _facts, "--output", "out").ShouldFail("out is not empty.");
    }

    [Fact]
    public void A_tenant_the_program_refuses_gets_the_programs_message_alone_and_nothing_is_written()
    {
        // The shipped demo platform keeps backups in an S3 store, which each tenant reaches with its own key; this one has none.
        _repository.Run("tenant", "new", "101").ShouldSucceed();

        var run = _repository.Run("tenant", "render", "koebenhavn", "--platform-facts", "stacks/platform/demo.facts.json", "--output", "out")
            .ShouldFail("The platform of tenant 'koebenhavn' has 1 problem(s); nothing was provisioned:");

        run.Error.ShouldContain("os2borgerpc:backupS3AccessKeyId");
        Directory.Exists(Path.Combine(_repository.Root, "out")).ShouldBeFalse();
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
