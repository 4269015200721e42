using System.Text.Json;

namespace OS2BorgerPC.Deploy.TenantDecisions.Traffic;

/// <summary>
/// What Pulumi waits for before it counts one of the tenant's traffic objects as created or updated: the controller's
/// own word that it accepted the object. Pulumi does not wait on custom resources by itself; the Kubernetes provider
/// waits on the <see cref="WaitForAnnotation"/> expressions, all of them, up to <see cref="TimeoutAnnotation"/> seconds
/// (pulumi-kubernetes v4.32.0 provider/pkg/metadata/overrides.go ReadyCondition: a JSON array of "jsonpath=" or
/// "condition=" expressions; provider/pkg/jsonpath/jsonpath.go: a JSONPath matches on its first result only, so each
/// status entry gets its own index).
/// </summary>
public sealed record AcceptanceWait(IReadOnlyList<string> Expressions, int TimeoutSeconds)
{
    public const string WaitForAnnotation = "pulumi.com/waitFor";
    public const string TimeoutAnnotation = "pulumi.com/timeoutSeconds";

    /// <summary>The annotations that make the provider wait.</summary>
    public IReadOnlyDictionary<string, string> Annotations => new Dictionary<string, string>
    {
        [WaitForAnnotation] = JsonSerializer.Serialize(Expressions),
        [TimeoutAnnotation] = TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The waits of <see cref="TenantTraffic"/>'s objects, each from the status its controller writes.</summary>
public static class TrafficAcceptance
{
    /// <summary>The budget of one wait. A certificate is issued within it where the ACME challenge can be answered at all.</summary>
    public const int TimeoutSeconds = 300;

    /// <summary>An HTTPRoute: every parent (status.parents, one per parentRef) Accepted, with its backends resolved (ResolvedRefs).</summary>
    public static AcceptanceWait Route(HttpRoute route) => new(
        [.. Enumerable.Range(0, route.Parents.Length).SelectMany(i => new[] { Condition($"parents[{i}]", "Accepted"), Condition($"parents[{i}]", "ResolvedRefs") })],
        TimeoutSeconds);

    /// <summary>
    /// A policy targeting <paramref name="targets"/> (SecurityPolicy or BackendTrafficPolicy): Accepted for every
    /// ancestor. Envoy Gateway v1.9.0 writes one status.ancestors entry per distinct parent of its target routes (the
    /// Gateway with the listener's sectionName, or the ListenerSet; internal/gatewayapi/securitypolicy.go and
    /// backendtrafficpolicy.go getAncestorRefForPolicy, status/policy.go SetConditionForPolicyAncestor merges equal
    /// refs), and only once those routes exist (a target it cannot find is skipped): the policies are therefore created
    /// after their routes, which the Gateway's own policy refuses meanwhile (<see cref="Platform.GatewayFacts.DeniesUnprotectedRoutes"/>).
    /// </summary>
    public static AcceptanceWait Policy(IEnumerable<HttpRoute> targets) => PolicyOfAncestors(targets.SelectMany(r => r.Parents).Distinct().Count());

    /// <summary>A policy with <paramref name="ancestors"/> entries in status.ancestors (a Gateway-level policy: one, its Gateway or listener).</summary>
    public static AcceptanceWait PolicyOfAncestors(int ancestors) => new(
        [.. Enumerable.Range(0, ancestors).Select(i => Condition($"ancestors[{i}]", "Accepted"))],
        TimeoutSeconds);

    /// <summary>A cert-manager Certificate: its Ready condition (status.conditions, observedGeneration checked by the provider).</summary>
    public static AcceptanceWait Certificate { get; } = new(["condition=Ready"], TimeoutSeconds);

    /// <summary>A ListenerSet: Accepted by the Gateway (status.conditions); the Gateway admits it only through spec.allowedListeners.</summary>
    public static AcceptanceWait Listener { get; } = new(["condition=Accepted"], TimeoutSeconds);

    /// <summary>
    /// The condition of one status entry, True and written for the object's current generation. The provider's own
    /// generation check reads only a top-level status.observedGeneration (pulumi-kubernetes v4.32.0
    /// provider/pkg/await/condition/jsonpath.go Satisfied), which routes and policies do not have; Envoy Gateway v1.9.0
    /// writes the object's generation into each condition (internal/gatewayapi/status/route.go SetRouteStatusCondition,
    /// status/policy.go SetAcceptedForPolicyAncestor with policy.Generation). Without the filter an update could pass on
    /// the previous generation's Accepted. The provider parses the path with github.com/theory/jsonpath v0.9.0 (RFC 9535:
    /// "&amp;&amp;" in parser/parse.go parseLogicalAndExpr, an absolute singular query "$..." as a comparable in
    /// parseComparableVal, evaluated against the whole object in spec/function.go SingularQueryExpr.evaluate, numbers
    /// compared as float64 in spec/op.go valueEqualTo).
    /// </summary>
    private static string Condition(string entry, string type) =>
        $$"""jsonpath={.status.{{entry}}.conditions[?(@.type=="{{type}}" && @.observedGeneration==$.metadata.generation)].status}=True""";
}
