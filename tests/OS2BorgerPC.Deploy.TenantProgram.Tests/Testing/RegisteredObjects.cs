namespace OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;

/// <summary>Reading the inputs of custom resources (Gateway API, Envoy Gateway, cert-manager) as the engine got them.</summary>
public static class RegisteredObjects
{
    public const string HttpRoute = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
    public const string ListenerSet = "kubernetes:gateway.networking.k8s.io/v1:ListenerSet";
    public const string SecurityPolicy = "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy";
    public const string BackendTrafficPolicy = "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy";
    public const string Certificate = "kubernetes:cert-manager.io/v1:Certificate";
    public const string NetworkPolicy = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
    public const string Job = "kubernetes:batch/v1:Job";
    public const string CnpgCluster = "kubernetes:postgresql.cnpg.io/v1:Cluster";
    public const string CnpgScheduledBackup = "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup";
    public const string ObjectStore = "kubernetes:barmancloud.cnpg.io/v1:ObjectStore";

    public static IEnumerable<RegisteredInputs> OfType(this StackRun run, string type) => run.Inputs.Where(i => i.Type == type);

    public static IDictionary<string, object> Spec(this RegisteredInputs registered) => Map(registered.Inputs["spec"]);

    public static string Namespace(this RegisteredInputs registered) => (string)Map(registered.Inputs["metadata"])["namespace"];

    public static IDictionary<string, object> Map(object value) => (IDictionary<string, object>)value;

    /// <summary>A list of objects; an absent list is empty.</summary>
    public static IReadOnlyList<IDictionary<string, object>> Maps(this IDictionary<string, object> map, string key) =>
        map.TryGetValue(key, out var list) ? [.. ((IEnumerable<object>)list).Select(Map)] : [];

    public static IReadOnlyList<string> Strings(this IDictionary<string, object> map, string key) =>
        map.TryGetValue(key, out var list) ? [.. ((IEnumerable<object>)list).Cast<string>()] : [];

    /// <summary>A number, as the engine holds every number (a double).</summary>
    public static int Int(this IDictionary<string, object> map, string key) => Convert.ToInt32(map[key], System.Globalization.CultureInfo.InvariantCulture);

    public static IDictionary<string, object> Child(this IDictionary<string, object> map, string key) => Map(map[key]);
}
