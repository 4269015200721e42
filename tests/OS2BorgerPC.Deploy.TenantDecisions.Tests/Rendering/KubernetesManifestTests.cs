using System.Collections.Immutable;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Rendering;
using YamlDotNet.RepresentationModel;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Rendering;

/// <summary>Registered Pulumi.Kubernetes inputs as plain manifests: what the API server and a reviewer read.</summary>
public sealed class KubernetesManifestTests
{
    // Inputs as Pulumi's mocks hand them over: immutable maps and arrays, numbers as doubles.
    private static ImmutableDictionary<string, object> Map(params (string Key, object Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value);

    private static ImmutableArray<object> List(params object[] items) => [.. items];

    private static ImmutableDictionary<string, object> Metadata(string name, string? ns = "os2borgerpc-demo") =>
        ns is null ? Map(("name", name)) : Map(("name", name), ("namespace", ns));

    [Theory]
    [InlineData("kubernetes:core/v1:Namespace", "v1", "Namespace", "")]
    [InlineData("kubernetes:apps/v1:Deployment", "apps/v1", "Deployment", "apps")]
    [InlineData("kubernetes:networking.k8s.io/v1:NetworkPolicy", "networking.k8s.io/v1", "NetworkPolicy", "networking.k8s.io")]
    [InlineData("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "gateway.networking.k8s.io/v1", "HTTPRoute", "gateway.networking.k8s.io")]
    [InlineData("kubernetes:apps/v1:DeploymentPatch", "apps/v1", "Deployment", "apps")]
    public void The_type_token_names_the_api_version_and_kind(string token, string apiVersion, string kind, string group)
    {
        var manifest = KubernetesManifest.FromRegistration(token, Map(("metadata", Metadata("x"))))!;

        (manifest.ApiVersion, manifest.Kind, manifest.Group, manifest.Name, manifest.Namespace).ShouldBe((apiVersion, kind, group, "x", "os2borgerpc-demo"));
        manifest.Body["apiVersion"]!.GetValue<string>().ShouldBe(apiVersion);
        manifest.Body["kind"]!.GetValue<string>().ShouldBe(kind);
        manifest.ToYaml().ShouldStartWith($"apiVersion: {apiVersion}\nkind: {kind}\n");
    }

    [Theory]
    [InlineData("os2borgerpc:kubernetes:AdminSite")]
    [InlineData("pulumi:providers:kubernetes")]
    [InlineData("random:index/randomPassword:RandomPassword")]
    [InlineData("kubernetes:helm.sh/v3:Release")]
    [InlineData("kubernetes:yaml/v2:ConfigGroup")]
    [InlineData("pulumi:pulumi:Stack")]
    public void Components_providers_and_other_resources_are_no_objects(string token) =>
        KubernetesManifest.FromRegistration(token, Map(("metadata", Metadata("x")))).ShouldBeNull();

    [Fact]
    public void Whole_numbers_become_integers_and_text_that_looks_like_another_type_stays_text()
    {
        var manifest = KubernetesManifest.FromRegistration("kubernetes:apps/v1:Deployment", Map(
            ("apiVersion", "apps/v1"),
            ("kind", "Deployment"),
            ("metadata", Map(("name", "admin-site"), ("namespace", "os2borgerpc-demo"), ("annotations", Map(("port", "8080"), ("flag", "true"), ("empty", ""), ("nothing", "null"))))),
            ("spec", Map(("replicas", 1.0), ("ratio", 0.5), ("paused", false), ("args", List("--workers", "3", "a: b"))))))!;

        manifest.Body["spec"]!["replicas"]!.ToJsonString().ShouldBe("1");
        manifest.Body["spec"]!["ratio"]!.ToJsonString().ShouldBe("0.5");
        // The YAML reads back as exactly the JSON: text stays text, numbers and flags keep their type.
        Reparse(manifest.ToYaml()).ToJsonString().ShouldBe(manifest.ToJson());
    }

    [Fact]
    public void Multi_line_text_is_a_literal_block_and_reads_back_unchanged()
    {
        const string script = "#!/bin/sh\nset -eu\necho \"done: $HOME\"\n";
        var manifest = KubernetesManifest.FromRegistration("kubernetes:core/v1:ConfigMap",
            Map(("metadata", Metadata("scripts")), ("data", Map(("backup.sh", script), ("trailing.sh", "x  \n\ty\n")))))!;

        manifest.ToYaml().ShouldContain("backup.sh: |");
        Reparse(manifest.ToYaml())["data"]!["backup.sh"]!.GetValue<string>().ShouldBe(script);
        Reparse(manifest.ToYaml())["data"]!["trailing.sh"]!.GetValue<string>().ShouldBe("x  \n\ty\n");
    }

    [Fact]
    public void A_secret_shows_its_keys_but_never_a_value()
    {
        var manifest = KubernetesManifest.FromRegistration("kubernetes:core/v1:Secret", Map(
            ("metadata", Metadata("app")),
            ("type", "Opaque"),
            ("data", Map(("storage-key", "c3VwZXItc2VjcmV0"))),
            ("stringData", Map(("db-password", "hunter2-generated"), ("secret-key", "django-generated")))))!;

        var text = manifest.ToYaml() + manifest.ToJson();
        text.ShouldNotContain("c3VwZXItc2VjcmV0");
        text.ShouldNotContain("hunter2-generated");
        text.ShouldNotContain("django-generated");
        manifest.Body.ContainsKey("data").ShouldBeFalse();
        var values = manifest.Body["stringData"]!.AsObject();
        values.Select(p => p.Key).ShouldBe(["db-password", "secret-key", "storage-key"]);
        values.ShouldAllBe(p => p.Value!.GetValue<string>() == KubernetesManifest.SecretPlaceholder);
        manifest.Body["type"]!.GetValue<string>().ShouldBe("Opaque");
    }

    [Fact]
    public void An_object_without_a_name_is_refused_as_pulumi_would_add_a_random_suffix() =>
        Should.Throw<InvalidOperationException>(() => KubernetesManifest.FromRegistration("kubernetes:core/v1:ConfigMap", Map(("metadata", Map(("namespace", "x"))))))
            .Message.ShouldContain("metadata.name");

    [Fact]
    public void A_registration_whose_kind_contradicts_its_token_is_refused() =>
        Should.Throw<InvalidOperationException>(() => KubernetesManifest.FromRegistration("kubernetes:core/v1:ConfigMap",
            Map(("kind", "Secret"), ("metadata", Metadata("x"))))).Message.ShouldContain("kind 'Secret'");

    [Fact]
    public void Cluster_scoped_objects_have_no_namespace_and_each_object_its_own_file_name()
    {
        var ns = KubernetesManifest.FromRegistration("kubernetes:core/v1:Namespace", Map(("metadata", Metadata("os2borgerpc-demo", ns: null))))!;
        var deployment = KubernetesManifest.FromRegistration("kubernetes:apps/v1:Deployment", Map(("metadata", Metadata("admin-site"))))!;

        ns.Namespace.ShouldBeNull();
        ns.ToString().ShouldBe("Namespace os2borgerpc-demo");
        (ns.FileName, deployment.FileName).ShouldBe(("0-core-v1-namespace-os2borgerpc-demo.yaml", "6-apps-v1-deployment-admin-site.yaml"));
    }

    [Fact]
    public void Objects_go_in_dependency_order_and_their_file_names_sort_the_same_way()
    {
        // Registered as a program may register them: the namespace's contents before it, custom resources anywhere.
        var registered = new (string Token, string Name)[]
        {
            ("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "admin-site"),
            ("kubernetes:apps/v1:Deployment", "admin-site"),
            ("kubernetes:core/v1:Service", "admin-site"),
            ("kubernetes:postgresql.cnpg.io/v1:Cluster", "database"),
            ("kubernetes:networking.k8s.io/v1:NetworkPolicy", "default-deny"),
            ("kubernetes:core/v1:Secret", "app"),
            ("kubernetes:core/v1:ResourceQuota", "tenant"),
            ("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "operator"),
            ("kubernetes:core/v1:Namespace", "os2borgerpc-demo"),
        }.Select(r => KubernetesManifest.FromRegistration(r.Token, Map(("metadata", Metadata(r.Name))))!).ToList();

        var ordered = ApplyOrder.Sort(registered).Select(m => m.Kind).ToList();

        ordered.ShouldBe(["Namespace", "ClusterRole", "ResourceQuota", "Secret", "NetworkPolicy", "Service", "Deployment", "HTTPRoute", "Cluster"]);
        // kubectl apply -f <folder> takes the files in name order: the same order.
        registered.OrderBy(m => m.FileName, StringComparer.Ordinal).Select(m => m.Kind).ShouldBe(ordered);
    }

    [Theory]
    // A custom resource of a group under k8s.io (Gateway API) is no built-in: it comes last.
    [InlineData("kubernetes:gateway.networking.k8s.io/v1:Gateway")]
    [InlineData("kubernetes:cert-manager.io/v1:Certificate")]
    [InlineData("kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy")]
    // A custom kind named like a built-in is not the built-in.
    [InlineData("kubernetes:example.dk/v1:Namespace")]
    public void Custom_resources_come_last(string token) =>
        ApplyOrder.Stage(KubernetesManifest.FromRegistration(token, Map(("metadata", Metadata("x"))))!).ShouldBe(ApplyOrder.Last);

    private static JsonNode Reparse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return ToJson(stream.Documents[0].RootNode)!;
    }

    // YAML 1.2 core schema, as the API server reads an apply patch.
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => scalar.Value switch
        {
            "true" or "false" => JsonValue.Create(bool.Parse(scalar.Value)),
            "null" or "~" or "" => null,
            var text when long.TryParse(text, out var integer) => JsonValue.Create(integer),
            var text when double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            var text => JsonValue.Create(text),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}

/// <summary>The config a program gets when it runs without the engine: no ciphertext, no decrypted secret.</summary>
public sealed class EngineEnvironmentTests
{
    [Fact]
    public void Secure_values_are_handed_over_as_the_stand_in_and_named_secret_keys_the_rest_as_text()
    {
        var config = new StackConfig("demo", "stacks/Pulumi.demo.yaml", new Dictionary<string, JsonNode?>
        {
            ["os2borgerpc:emailPassword"] = SecureValue.Create("v1:AAABBBciphertext"),
            ["os2borgerpc:timeZone"] = JsonValue.Create("Europe/Copenhagen"),
            ["os2borgerpc:tenant"] = new JsonObject { ["slug"] = "demo", ["size"] = "small" },
            ["os2borgerpc:nothing"] = null,
        }, new Dictionary<string, string>());

        var environment = EngineEnvironment.For(config, "stand-in");

        var values = JsonNode.Parse(environment.Config)!.AsObject();
        values["os2borgerpc:emailPassword"]!.GetValue<string>().ShouldBe("stand-in");
        values["os2borgerpc:timeZone"]!.GetValue<string>().ShouldBe("Europe/Copenhagen");
        JsonNode.Parse(values["os2borgerpc:tenant"]!.GetValue<string>())!["slug"]!.GetValue<string>().ShouldBe("demo");
        values.ContainsKey("os2borgerpc:nothing").ShouldBeFalse();
        environment.Config.ShouldNotContain("ciphertext");
        environment.SecretKeys.ShouldBe("[\"os2borgerpc:emailPassword\"]");
    }
}
