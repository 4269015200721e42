using System.Collections;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.ControlPlane.Tests.Support;
using OS2BorgerPC.Deploy.PlatformProgram;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Xunit.Abstractions;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests;

/// <summary>
/// The pinned charts with install hooks (Envoy Gateway, cert-manager), as <c>helm template</c> renders them from their
/// released source with the kit's values (charts/README.md), applied as an install path applies them: a Helm release
/// (<c>helm.sh/v3</c> Release: pre-install hooks, the release, post-install hooks, each phase by weight) or Chart v4
/// (pulumi-kubernetes v4.32.0 provider/pkg/provider/helm/v4/chart.go: <c>DisableHooks = true</c>, hooks dropped).
/// Then every Secret, ConfigMap and ServiceAccount the chart's pods need must be on the API server.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class ChartHookTests(Support.ControlPlane plane, ITestOutputHelper output)
{
    private const string Stack = "prod";

    /// <summary>What a hook Job makes, as its source says. The tier has no nodes, so no Job runs: the test makes it in the Job's stead.</summary>
    private sealed record HookJobOutput(string Job, IReadOnlyList<string> Secrets);

    private static readonly IReadOnlyList<HookJobOutput> HookJobOutputs =
    [
        // envoyproxy/gateway v1.9.0 internal/cmd/certgen.go (outputCertsForKubernetes) writes
        // internal/provider/kubernetes/secrets.go CertsToSecret: Secrets envoy-gateway, envoy, envoy-rate-limit,
        // envoy-oidc-hmac in the controller's namespace.
        new("envoy-gateway-gateway-helm-certgen", ["envoy-gateway", "envoy", "envoy-rate-limit", "envoy-oidc-hmac"]),
        // cert-manager v1.21.1 cmd/startupapicheck ("check api"): asks the webhook for a dry-run Certificate, writes nothing.
        new("cert-manager-startupapicheck", []),
    ];

    /// <summary>Each chart, whether its hooks run, and the references its pods then miss.</summary>
    public static TheoryData<string, string, string, bool, string[]> Installs => new()
    {
        { "envoy-gateway-v1.9.0", "envoy-gateway", SharedGateway.ControllerNamespace, true, [] },
        // Why Chart v4 cannot install Envoy Gateway: the controller mounts the Secret the dropped certgen Job makes.
        { "envoy-gateway-v1.9.0", "envoy-gateway", SharedGateway.ControllerNamespace, false,
            [$"Secret {SharedGateway.ControllerNamespace}/envoy-gateway (used by Deployment {SharedGateway.ControllerNamespace}/envoy-gateway)"] },
        { "cert-manager-v1.21.1", "cert-manager", "cert-manager", true, [] },
        // cert-manager's pods mount nothing a hook makes; Chart v4 loses its startupapicheck (the webhook's readiness gate).
        { "cert-manager-v1.21.1", "cert-manager", "cert-manager", false, [] },
    };

    public static TheoryData<string, string> Releases => new()
    {
        { "envoy-gateway-v1.9.0", "envoy-gateway" },
        { "cert-manager-v1.21.1", "cert-manager" },
    };

    [Theory]
    [MemberData(nameof(Releases))]
    public async Task The_charts_are_rendered_with_the_values_the_platform_program_sends(string folder, string release)
    {
        var (config, problem) = PlatformWorkspace.Open(RepositoryRoot.FullPath).ReadStack(Stack);
        var mocks = new PlatformMocks();
        await MockedDeployment.RunAsync<PlatformStack>(EngineConfig.From(config ?? throw new InvalidOperationException(problem!.ToString())),
            mocks, PlatformWorkspace.Namespace);
        var sent = mocks.Registrations.Single(r => r.Type == "kubernetes:helm.sh/v3:Release" && r.Name == release).Inputs["values"];

        var rendered = RenderedChart.Read(folder, release, "").Values;
        JsonNode.DeepEquals(ToJson(sent), rendered).ShouldBeTrue(
            $"charts/{folder}/values.yaml is {rendered.ToJsonString()}, the program sends {ToJson(sent)?.ToJsonString()}: render the chart again (charts/README.md)");
    }

    [ControlPlaneTheory]
    [MemberData(nameof(Installs))]
    public async Task What_the_pods_use_exists_once_the_hooks_ran_as_the_install_path_runs_them(
        string folder, string release, string ns, bool hooksRun, string[] expectedMissing)
    {
        var chart = RenderedChart.Read(folder, release, ns);
        var applied = new List<(string ApiVersion, string Kind, string? Namespace, string Name)>();
        var checkedRefs = new List<PodReference>();
        var missing = new List<PodReference>();
        var notServed = new List<ChartObject>();
        async Task Apply(string apiVersion, string kind, string? space, string name, string yaml, string what)
        {
            (await plane.Api.ApplyAsync(apiVersion, kind, space, name, yaml, what)).ShouldBeNull();
            applied.Add((apiVersion, kind, space, name));
        }
        async Task ApplyAll(IEnumerable<ChartObject> objects)
        {
            foreach (var o in objects)
            {
                // The tier's kube-apiserver (v1.26.4, get-control-plane.sh) serves admissionregistration.k8s.io/v1
                // ValidatingAdmissionPolicy only from Kubernetes 1.30: Envoy Gateway's safe-upgrades policy cannot go on it.
                if (o.Kind.StartsWith("ValidatingAdmissionPolicy", StringComparison.Ordinal))
                {
                    notServed.Add(o);
                    continue;
                }
                await Apply(o.ApiVersion, o.Kind, o.Namespace is null && !ClusterWide(o) ? ns : o.Namespace, o.Name, o.Yaml, o.ToString());
            }
        }
        async Task Check(IEnumerable<ChartObject> workloads)
        {
            foreach (var reference in workloads.SelectMany(chart.ReferencesOf))
            {
                checkedRefs.Add(reference);
                var apiVersion = "v1";
                if (!await plane.Api.ExistsAsync(apiVersion, reference.Kind, reference.Namespace, reference.Name))
                {
                    missing.Add(reference);
                }
            }
        }
        async Task RunHooks(string phase)
        {
            var hooks = chart.Objects.Where(o => o.Hooks.Contains(phase)).OrderBy(o => o.HookWeight).ToList();
            await ApplyAll(hooks);
            var jobs = hooks.Where(o => o.Kind == "Job").ToList();
            await Check(jobs); // a hook Job's pod starts only with what it uses
            foreach (var job in jobs)
            {
                var made = HookJobOutputs.SingleOrDefault(h => h.Job == job.Name)
                    ?? throw new InvalidOperationException($"{job} is a hook whose outputs the test does not know: read its source and add it to HookJobOutputs.");
                foreach (var secret in made.Secrets)
                {
                    await Apply("v1", "Secret", ns, secret,
                        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {secret}\n  namespace: {ns}\n  labels: {{control-plane: envoy-gateway}}\n", $"Secret {ns}/{secret} (made by {job})");
                }
            }
            foreach (var hook in hooks.Where(o => o.DeletedOnSuccess))
            {
                await plane.Api.DeleteAsync(hook.ApiVersion, hook.Kind, hook.Namespace ?? ns, hook.Name);
            }
        }

        (await plane.Api.ApplyAsync("v1", "Namespace", null, ns, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", $"Namespace {ns}")).ShouldBeNull();
        try
        {
            if (hooksRun)
            {
                await RunHooks("pre-install");
            }
            var released = chart.Objects.Where(o => o.Hooks.Count == 0).ToList();
            await ApplyAll(released);
            if (hooksRun)
            {
                await RunHooks("post-install");
            }
            await Check(released);
        }
        finally
        {
            // The next install (and the other tests) meet the control plane as before: no webhooks of charts that do not run.
            foreach (var (apiVersion, kind, space, name) in Enumerable.Reverse(applied))
            {
                await plane.Api.DeleteAsync(apiVersion, kind, space, name);
            }
        }

        output.WriteLine($"{folder} {(hooksRun ? "Helm release (hooks run)" : "Chart v4 (hooks dropped)")}: {applied.Count} objects applied, " +
            $"{checkedRefs.Count} pod references checked ({string.Join(", ", checkedRefs.GroupBy(r => r.Kind).Select(g => $"{g.Count()} {g.Key}"))}), {missing.Count} missing; not served by the tier: {string.Join(", ", notServed)}");
        missing.Select(m => m.ToString()).ShouldBe(expectedMissing, ignoreOrder: true);
        checkedRefs.ShouldContain(r => r.Kind == "ServiceAccount", "every pod template names its service account");
    }

    private static bool ClusterWide(ChartObject o) =>
        o.Kind is "ClusterRole" or "ClusterRoleBinding" or "MutatingWebhookConfiguration" or "ValidatingWebhookConfiguration"
            or "ValidatingAdmissionPolicy" or "ValidatingAdmissionPolicyBinding";

    /// <summary>A registered input (nested immutable dictionaries and arrays of the Pulumi mocks) as JSON.</summary>
    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int or long or double => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        IDictionary dictionary => new JsonObject(dictionary.Keys.Cast<string>().Select(k => KeyValuePair.Create(k, ToJson(dictionary[k])))),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToJson).ToArray()),
        _ => throw new InvalidOperationException($"Unexpected input {value.GetType()}."),
    };
}
