using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.PlatformProgram.Tests.Testing;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using Pulumi.Utilities;

namespace OS2BorgerPC.Deploy.PlatformProgram.Tests;

/// <summary>The add-ons every platform gets, and the cluster flavour (stacks/platform/Pulumi.demo.yaml) as a whole.</summary>
[Collection(PulumiCollection.Name)]
public sealed class AddOnTests
{
    private static IDictionary<string, object> Map(object value) => (IDictionary<string, object>)value;

    private static IEnumerable<object> List(object value) => (IEnumerable<object>)value;

    public static TheoryData<string> Platforms => new() { "prod", "demo" };

    private const string ChartV4 = "kubernetes:helm.sh/v4:Chart";
    private const string ReleaseV3 = "kubernetes:helm.sh/v3:Release";

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task Every_chart_is_installed_at_its_pinned_version_into_its_own_namespace(string platform)
    {
        var run = await PlatformHarness.RunShipped(platform);

        var charts = run.OfType(ChartV4).Concat(run.OfType(ReleaseV3)).ToDictionary(c => c.Name, c => c.Inputs);
        charts.Keys.Order().ShouldBe(["cert-manager", "cloudnative-pg", "envoy-gateway", "plugin-barman-cloud"]);
        charts["envoy-gateway"]["chart"].ShouldBe("oci://docker.io/envoyproxy/gateway-helm");
        charts["envoy-gateway"]["version"].ShouldBe(ChartVersions.Pinned.EnvoyGateway.Version);
        charts["envoy-gateway"].ShouldNotContainKey("repositoryOpts");
        charts["cert-manager"]["version"].ShouldBe(ChartVersions.Pinned.CertManager.Version);
        Map(charts["cert-manager"]["repositoryOpts"])["repo"].ShouldBe("https://charts.jetstack.io");
        Map(Map(charts["cert-manager"]["values"])["config"])["enableGatewayAPI"].ShouldBe(true);
        Map(charts["cloudnative-pg"]["repositoryOpts"])["repo"].ShouldBe("https://cloudnative-pg.github.io/charts");
        (charts["cloudnative-pg"]["version"], charts["plugin-barman-cloud"]["version"]).ShouldBe(("0.29.0", "0.7.0"));
        Map(charts["plugin-barman-cloud"]["repositoryOpts"])["repo"].ShouldBe("https://cloudnative-pg.github.io/charts");
        // An operator upgrade replaces the instance manager in place instead of rolling every tenant's PostgreSQL pods
        // (cloudnative-pg v1.30.0 docs/src/installation_upgrade.md; the chart's config.data is the operator's ConfigMap).
        Map(Map(Map(charts["cloudnative-pg"]["values"])["config"])["data"])["ENABLE_INSTANCE_MANAGER_INPLACE_UPDATES"].ShouldBe("true");
        // The plugin runs in the operator's namespace, as it requires (plugin-barman-cloud v0.13.0 web/docs/usage.md).
        (charts["envoy-gateway"]["namespace"], charts["cert-manager"]["namespace"], charts["cloudnative-pg"]["namespace"], charts["plugin-barman-cloud"]["namespace"])
            .ShouldBe(("envoy-gateway-system", "cert-manager", "cnpg-system", "cnpg-system"));
    }

    /// <summary>
    /// pulumi-kubernetes v4.32.0 provider/pkg/provider/helm/v4/chart.go sets DisableHooks = true: a chart rendered by
    /// Chart v4 loses its hooks (Envoy Gateway's certgen Job, cert-manager's startupapicheck). helm_release.go runs them.
    /// </summary>
    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task No_chart_with_install_hooks_goes_through_Chart_v4_but_through_a_Helm_release_that_waits(string platform)
    {
        var run = await PlatformHarness.RunShipped(platform);

        foreach (var (key, chart) in ChartVersions.Pinned.ByKey)
        {
            var name = ((string)run.OfType(ChartV4).Concat(run.OfType(ReleaseV3)).Single(c => (string)c.Inputs["version"] == chart.Version && (string)c.Inputs["chart"] == chart.Chart).Name);
            if (chart.HasInstallHooks)
            {
                run.OfType(ChartV4).ShouldNotContain(c => c.Name == name, $"{key} has install hooks its controller needs; Chart v4 drops them");
                var release = run.Single(ReleaseV3, name).Inputs;
                release["name"].ShouldBe(name, "the release is named as the rendered chart was (its selector labels), not auto-named");
                release.ShouldNotContainKey("skipAwait");
                Convert.ToInt32(release["timeout"]).ShouldBe(HelmChart.ReleaseTimeoutSeconds);
            }
            else
            {
                run.OfType(ReleaseV3).ShouldNotContain(c => c.Name == name);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task The_cluster_issuers_wait_for_the_cert_manager_release_whose_startup_check_proves_the_webhook_answers(string platform)
    {
        var run = await PlatformHarness.RunShipped(platform);

        // The startupapicheck Job is a post-install hook (cert-manager v1.21.1 values.yaml); Helm runs it after the
        // workloads are ready and waits for it to complete, so the release is done only once the webhook answers.
        foreach (var issuer in run.OfType("kubernetes:cert-manager.io/v1:ClusterIssuer"))
        {
            (await run.DependenciesOf("kubernetes:cert-manager.io/v1:ClusterIssuer", issuer.Name)).ShouldContain(ReleaseV3 + "::cert-manager");
        }
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task Tenants_admit_exactly_the_pods_of_the_database_operator_the_platform_installs(string platform)
    {
        var run = await PlatformHarness.RunShipped(platform);

        var chart = run.Single(ChartV4, "cloudnative-pg").Inputs;
        var facts = PlatformFacts.Parse(platform, "test", JsonNode.Parse((await OutputUtilities.GetValueAsync(run.Stack.TenantPlatform)).GetRawText())).Facts!;
        facts.DatabaseOperator.Namespace.ShouldBe((string)chart["namespace"]);
        // The chart's selector labels: app.kubernetes.io/name is the chart's name (no nameOverride), instance the release's (the resource's name).
        chart.ShouldNotContainKey("name");
        (chart.TryGetValue("values", out var values) ? Map(values) : new Dictionary<string, object>()).ShouldNotContainKey("nameOverride");
        facts.DatabaseOperator.Labels.ShouldBe(new Dictionary<string, string> { ["app.kubernetes.io/name"] = (string)chart["chart"], ["app.kubernetes.io/instance"] = "cloudnative-pg" }, ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task The_shared_gateway_terminates_tls_redirects_http_and_keeps_the_clients_address(string platform)
    {
        var run = await PlatformHarness.RunShipped(platform);

        var proxy = Map(Map(Map(run.Single("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "proxy").Inputs["spec"])["provider"])["kubernetes"]);
        Map(proxy["envoyService"])["externalTrafficPolicy"].ShouldBe("Local");
        var deployment = Map(proxy["envoyDeployment"]);
        Convert.ToInt32(Map(proxy["envoyPDB"])["minAvailable"]).ShouldBeLessThan(Convert.ToInt32(deployment["replicas"]));
        var spread = List(Map(deployment["pod"])["topologySpreadConstraints"]).Select(Map).ToList();
        spread.Select(s => (string)s["topologyKey"]).ShouldBe(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
        spread.ShouldAllBe(s => Map(Map(s["labelSelector"])["matchLabels"]).ContainsKey("gateway.envoyproxy.io/owning-gateway-name"));
        var resources = Map(Map(deployment["container"])["resources"]);
        Map(resources["requests"]).ShouldContainKey("memory");
        Map(resources["limits"]).ShouldContainKey("memory");
        var gatewayClass = Map(run.Single("kubernetes:gateway.networking.k8s.io/v1:GatewayClass", "class").Inputs["spec"]);
        gatewayClass["controllerName"].ShouldBe("gateway.envoyproxy.io/gatewayclass-controller");
        Map(gatewayClass["parametersRef"])["kind"].ShouldBe("EnvoyProxy");
        var gateway = run.Single("kubernetes:gateway.networking.k8s.io/v1:Gateway", "gateway").Inputs;
        Map(gateway["metadata"])["namespace"].ShouldBe("os2borgerpc-gateway");
        var listeners = List(Map(gateway["spec"])["listeners"]).Select(Map).ToDictionary(l => (string)l["name"]);
        (listeners["https"]["protocol"], Convert.ToInt32(listeners["https"]["port"])).ShouldBe(("HTTPS", 443));
        ((string)listeners["https"]["hostname"]).ShouldStartWith("*.");
        (listeners["http"]["protocol"], Convert.ToInt32(listeners["http"]["port"])).ShouldBe(("HTTP", 80));
        Map(Map(Map(listeners["https"]["allowedRoutes"])["namespaces"])["selector"]).ShouldNotBeEmpty();
        // Gateway API v1.6.1 (gateways CRD): allowedListeners defaults to from: None, which admits no tenant's ListenerSet.
        var allowedListeners = Map(Map(Map(gateway["spec"])["allowedListeners"])["namespaces"]);
        allowedListeners["from"].ShouldBe("Selector");
        Map(Map(allowedListeners["selector"])["matchLabels"]).ShouldBe(Map(Map(Map(Map(listeners["https"]["allowedRoutes"])["namespaces"])["selector"])["matchLabels"]));
        var redirect = Map(run.Single("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "https-redirect").Inputs["spec"]);
        Map(List(redirect["parentRefs"]).Single())["sectionName"].ShouldBe("http");
        var filter = Map(List(Map(List(redirect["rules"]).Single())["filters"]).Single());
        Map(filter["requestRedirect"])["scheme"].ShouldBe("https");
        foreach (var name in new[] { "letsencrypt-http01", "letsencrypt-staging-http01" })
        {
            var acme = Map(Map(run.Single("kubernetes:cert-manager.io/v1:ClusterIssuer", name).Inputs["spec"])["acme"]);
            var parent = Map(List(Map(Map(Map(List(acme["solvers"]).Single())["http01"])["gatewayHTTPRoute"])["parentRefs"]).Single());
            (parent["name"], parent["namespace"], parent["sectionName"]).ShouldBe(("os2borgerpc", "os2borgerpc-gateway", "http"));
        }
    }

    /// <summary>
    /// Tenants create their routes before their allow-lists (a policy's status needs its route): the Gateway-wide
    /// policy refuses them meanwhile, the HTTP listener's own (applied before it, envoyproxy/gateway v1.9.0
    /// internal/gatewayapi/securitypolicy.go) keeps the redirect and the ACME HTTP-01 solver routes answering. Each is
    /// awaited until Accepted on its one ancestor, so the deniesUnprotectedRoutes fact holds once up ends.
    /// </summary>
    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task The_gateway_refuses_every_https_route_without_a_policy_of_its_own_and_leaves_http_open(string platform)
    {
        var run = await PlatformHarness.RunShipped(platform);

        var policies = run.OfType("kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy").ToDictionary(p => p.Name, p => p.Inputs);
        policies.Keys.Order().ShouldBe(["deny-unprotected-routes", "open-http-listener"]);
        foreach (var (name, (action, section)) in new Dictionary<string, (string, string?)> { ["deny-unprotected-routes"] = ("Deny", null), ["open-http-listener"] = ("Allow", "http") })
        {
            var metadata = Map(policies[name]["metadata"]);
            metadata["namespace"].ShouldBe("os2borgerpc-gateway", "targetRefs are local to the policy's namespace");
            System.Text.Json.JsonSerializer.Deserialize<string[]>((string)Map(metadata["annotations"])["pulumi.com/waitFor"])
                .ShouldBe(["""jsonpath={.status.ancestors[0].conditions[?(@.type=="Accepted" && @.observedGeneration==$.metadata.generation)].status}=True"""]);
            var spec = Map(policies[name]["spec"]);
            var target = Map(List(spec["targetRefs"]).Single());
            (target["kind"], target["name"], target.TryGetValue("sectionName", out var s) ? s : null).ShouldBe(("Gateway", "os2borgerpc", section), name);
            var authorization = Map(spec["authorization"]);
            authorization["defaultAction"].ShouldBe(action);
            authorization.ShouldNotContainKey("rules");
        }
    }

    /// <summary>
    /// pulumi-kubernetes v4.32.0 provider/pkg/await/await.go (Creation, Update): the provider answers a create or update
    /// only once the object's pulumi.com/waitFor conditions hold, and with an error when they do not within the timeout; so
    /// a policy's ID exists only once Envoy Gateway accepted it. The facts are built from both IDs: an <c>up</c> that
    /// fails at a policy's wait never records gateway.deniesUnprotectedRoutes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task The_facts_saying_the_gateway_refuses_unprotected_routes_exist_only_once_both_of_its_policies_are_accepted(string platform)
    {
        var run = await PlatformHarness.RunShipped(platform);

        var dependencies = await OutputUtilities.GetDependenciesAsync(run.Stack.TenantPlatform);
        dependencies.Where(r => r.GetResourceType() == "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy").Select(r => r.GetResourceName())
            .Order().ShouldBe(["deny-unprotected-routes", "open-http-listener"]);
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task Both_storage_classes_retain_their_volumes_and_can_grow(string platform)
    {
        var run = await PlatformHarness.RunShipped(platform);

        var classes = run.OfType("kubernetes:storage.k8s.io/v1:StorageClass").ToDictionary(c => c.Name, c => c.Inputs);
        classes.Keys.Order().ShouldBe(["os2borgerpc-data", "os2borgerpc-shared"]);
        classes.Values.ShouldAllBe(c => (string)c["reclaimPolicy"] == "Retain" && (bool)c["allowVolumeExpansion"]);
        classes["os2borgerpc-shared"]["provisioner"].ShouldBe(platform == "prod" ? "file.csi.azure.com" : "nfs.csi.k8s.io");
    }

    [Fact]
    public async Task A_cluster_platform_provisions_no_azure_resource_and_exports_what_the_demo_recorded()
    {
        var run = await PlatformHarness.RunShipped("demo");

        run.Inputs.ShouldNotContain(i => i.Type.StartsWith("azure:"));
        run.Single("pulumi:providers:kubernetes", "cluster").Inputs["context"].ShouldBe("kind-os2borgerpc");
        var exported = JsonNode.Parse((await OutputUtilities.GetValueAsync(run.Stack.TenantPlatform)).GetRawText());
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "stacks/platform/demo.facts.json")));
        JsonNode.DeepEquals(exported, recorded).ShouldBeTrue();
        PlatformFacts.Parse("demo", "test", exported).Problems.ShouldBeEmpty();
        run.Inputs.ShouldNotContain(i => i.Type == "kubernetes:cert-manager.io/v1:ClusterIssuer" && i.Name == "letsencrypt-dns01");
        // The cluster's own load balancer gives the Gateway's address; its operator keeps it and points the tenants' DNS at it.
        var service = Map(Map(Map(Map(run.Single("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "proxy").Inputs["spec"])["provider"])["kubernetes"])["envoyService"]);
        (service.TryGetValue("annotations", out var annotations) ? Map(annotations) : new Dictionary<string, object>()).ShouldBeEmpty();
        (await OutputUtilities.GetValueAsync(run.Stack.GatewayIp)).ShouldBeNull();
    }

    [Fact]
    public async Task An_invalid_platform_is_refused_before_anything_is_provisioned()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "stacks/platform/Pulumi.prod.yaml")).Replace("podCidr: 192.168.0.0/16", "podCidr: 10.240.0.0/12");

        var error = await Should.ThrowAsync<Exception>(() => PlatformHarness.Run("prod", yaml));

        error.ToString().ShouldContain("os2borgerpc-platform:platform.azure.network.podCidr");
        error.ToString().ShouldContain("nothing was provisioned");
    }
}
