using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using OS2BorgerPC.Deploy.TenantDecisions.Rendering;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests.Support;

/// <summary>What the API server said about one object it did not accept.</summary>
public sealed record Refusal(string Object, string Message)
{
    public override string ToString() => $"{Object}: {Message}";
}

/// <summary>
/// Server-side apply of plain manifests, as <c>pulumi up</c> with <c>enableServerSideApply</c> (and
/// <c>kubectl apply --server-side --force-conflicts</c>) sends them: PATCH application/apply-patch+yaml with a
/// field manager, and strict field validation (kubectl's default, <c>--validate=strict</c>): a field the type or
/// the CRD's schema does not declare is refused, never silently dropped. Where an object's kind is served (and
/// whether it is namespaced) comes from the API's discovery.
/// </summary>
public sealed class ClusterApi(Kubernetes client)
{
    public const string FieldManager = "os2borgerpc-control-plane-tests";

    private readonly Dictionary<(string ApiVersion, string Kind), (string Plural, bool Namespaced)> resources = [];

    public Kubernetes Client => client;

    /// <summary>Applies the object; the API server's refusal (status and message), or null when it was accepted.</summary>
    public Task<Refusal?> ApplyAsync(KubernetesManifest manifest) =>
        ApplyAsync(manifest.ApiVersion, manifest.Kind, manifest.Namespace, manifest.Name, manifest.ToYaml(), manifest.ToString());

    /// <summary>Applies an object given as YAML text (<paramref name="what"/> names it in a refusal).</summary>
    public async Task<Refusal?> ApplyAsync(string apiVersion, string kind, string? ns, string name, string yaml, string what)
    {
        if (await ResourceOf(apiVersion, kind) is not { } resource)
        {
            return new Refusal(what, $"the API server serves no {kind} in {apiVersion} (is its CRD installed?)");
        }
        var (status, body) = await SendAsync(HttpMethod.Patch,
            $"{PathOf(apiVersion, ns, name, resource)}?fieldManager={FieldManager}&force=true&fieldValidation=Strict",
            new StringContent(yaml, Encoding.UTF8, "application/apply-patch+yaml"));
        return status is HttpStatusCode.OK or HttpStatusCode.Created
            ? null
            : new Refusal(what, $"{(int)status} {Message(body)}");
    }

    /// <summary>The object as the API server serves it, as JSON (what <c>kubectl get -o json</c> prints).</summary>
    public async Task<string> GetJsonAsync(string apiVersion, string kind, string? ns, string name)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, await PathOf(apiVersion, kind, ns, name), null);
        return status == HttpStatusCode.OK ? body : throw new InvalidOperationException($"GET {kind} {ns}/{name}: {(int)status} {Message(body)}");
    }

    /// <summary>Whether the API server has the object.</summary>
    public async Task<bool> ExistsAsync(string apiVersion, string kind, string? ns, string name)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, await PathOf(apiVersion, kind, ns, name), null);
        return status == HttpStatusCode.OK || (status == HttpStatusCode.NotFound
            ? false
            : throw new InvalidOperationException($"GET {kind} {ns}/{name}: {(int)status} {Message(body)}"));
    }

    /// <summary>Deletes the object (gone already is fine).</summary>
    public async Task DeleteAsync(string apiVersion, string kind, string? ns, string name)
    {
        var (status, body) = await SendAsync(HttpMethod.Delete, await PathOf(apiVersion, kind, ns, name), null);
        if (status is not (HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NotFound))
        {
            throw new InvalidOperationException($"DELETE {kind} {ns}/{name}: {(int)status} {Message(body)}");
        }
    }

    /// <summary>Waits until the CRD is established: its kind is then served.</summary>
    public async Task WaitEstablishedAsync(string crdName, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crdName);
            if (crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                resources.Clear();
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"CRD {crdName} was not established within {timeout.TotalSeconds} s.");
    }

    private async Task<string> PathOf(string apiVersion, string kind, string? ns, string name) =>
        await ResourceOf(apiVersion, kind) is { } resource
            ? PathOf(apiVersion, ns, name, resource)
            : throw new InvalidOperationException($"The API server serves no {kind} in {apiVersion}.");

    private static string PathOf(string apiVersion, string? ns, string name, (string Plural, bool Namespaced) resource)
    {
        var prefix = apiVersion.Contains('/') ? $"/apis/{apiVersion}" : $"/api/{apiVersion}";
        var scope = resource.Namespaced ? $"/namespaces/{ns}" : "";
        return $"{prefix}{scope}/{resource.Plural}/{Uri.EscapeDataString(name)}";
    }

    private async Task<(string Plural, bool Namespaced)?> ResourceOf(string apiVersion, string kind)
    {
        if (!resources.ContainsKey((apiVersion, kind)))
        {
            var (status, body) = await SendAsync(HttpMethod.Get, apiVersion.Contains('/') ? $"/apis/{apiVersion}" : $"/api/{apiVersion}", null);
            if (status != HttpStatusCode.OK)
            {
                return null;
            }
            foreach (var resource in JsonNode.Parse(body)!["resources"]!.AsArray().Select(r => r!))
            {
                var name = resource["name"]!.GetValue<string>();
                if (!name.Contains('/'))
                {
                    resources[(apiVersion, resource["kind"]!.GetValue<string>())] = (name, resource["namespaced"]!.GetValue<bool>());
                }
            }
        }
        return resources.TryGetValue((apiVersion, kind), out var found) ? found : null;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, new Uri(client.BaseUri, path)) { Content = content };
        await client.Credentials.ProcessHttpRequestAsync(request, CancellationToken.None);
        using var response = await client.HttpClient.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A Status object's message, or the body as it came.</summary>
    private static string Message(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["message"]?.GetValue<string>() ?? body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }
}
