using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests.Status;

/// <summary>
/// A fleet's backend, clone and cluster as <c>fleet status</c> asks them: pulumi and git answer from recorded answers
/// per stack, and a Kubernetes API on 127.0.0.1 (plain HTTP) serves the lists of what <see cref="Deployed"/> put there,
/// filtered by a label-exists selector as the API server does. The kubeconfig names it (context <c>fake</c>, the
/// current one) and a closed port (context <see cref="UnreachableContext"/>). Records every program call and every
/// API request.
/// </summary>
[UnsupportedOSPlatform("windows")] // the exec plugins are shell scripts
internal sealed class FakeFleetCluster : IProcessRunner, IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
    public const string Main = "6a96d19567bf5c002c76d16cf80f6c894c2af499";
    public const string UnreachableContext = "unreachable";

    /// <summary>A context whose user signs in through an exec plugin (as kubelogin does for Entra ID), and one whose plugin fails.</summary>
    public const string ExecContext = "entra", FailingExecContext = "entra-expired";

    public const string ExecToken = "entra-access-token";
    public const string ExecFailure = "kubelogin: AADSTS700082: the refresh token has expired";

    /// <summary>The list path of each kind the fake API serves; the CloudNativePG kinds are not installed (404).</summary>
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>
    {
        ["deployments"] = "/apis/apps/v1/deployments",
        ["pods"] = "/api/v1/pods",
        ["jobs"] = "/apis/batch/v1/jobs",
        ["certificates"] = "/apis/cert-manager.io/v1/certificates",
    };

    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<object>> _items = new();
    private readonly ConcurrentDictionary<string, bool> _uninstalled = new();

    public FakeFleetCluster(string folder)
    {
        var port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(Serve);
        // Nothing listens there: connecting is refused at once.
        ClosedPort = FreePort();
        var signsIn = Plugin(folder, "signs-in", $$$"""echo '{"apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential", "status": {"token": "{{{ExecToken}}}"}}'""");
        var fails = Plugin(folder, "fails", $"echo '{ExecFailure}' >&2; exit 1");
        Kubeconfig = Path.Combine(folder, "kubeconfig");
        File.WriteAllText(Kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster: {"{"}server: "http://127.0.0.1:{port}"{"}"}
            - name: closed
              cluster: {"{"}server: "http://127.0.0.1:{ClosedPort}"{"}"}
            users:
            - name: entra
              user: {"{"}exec: {"{"}apiVersion: client.authentication.k8s.io/v1beta1, command: "{signsIn}"{"}"}{"}"}
            - name: entra-expired
              user: {"{"}exec: {"{"}apiVersion: client.authentication.k8s.io/v1beta1, command: "{fails}"{"}"}{"}"}
            contexts:
            - name: fake
              context: {"{"}cluster: fake{"}"}
            - name: {UnreachableContext}
              context: {"{"}cluster: closed{"}"}
            - name: {ExecContext}
              context: {"{"}cluster: fake, user: entra{"}"}
            - name: {FailingExecContext}
              context: {"{"}cluster: fake, user: entra-expired{"}"}
            current-context: fake
            """);
    }

    /// <summary>A kubeconfig naming the fake API (the current context) and the closed port.</summary>
    public string Kubeconfig { get; }

    public int ClosedPort { get; }

    /// <summary>The deployed-commit tag per stack, null where a stack has none; a stack not here does not exist.</summary>
    public ConcurrentDictionary<string, string?> StackTags { get; } = new();

    public ConcurrentQueue<ProcessCall> Calls { get; } = new();

    /// <summary>Every API request: path and query.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every API request's Authorization header (empty without one).</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    public ProcessResult Run(ProcessCall call)
    {
        Calls.Enqueue(call);
        var args = call.Arguments;
        switch (call.Program)
        {
            case "git":
                return args[^1] == "main^{commit}" ? Ok(Main + "\n") : new ProcessResult(1, "", "");
            case "pulumi":
                var stack = args[args.ToList().IndexOf("--stack") + 1];
                return !StackTags.TryGetValue(stack, out var commit) ? new ProcessResult(255, "", $"error: no stack named '{stack}' found")
                    : commit is null ? new ProcessResult(255, "", $"error: stack tag '{args[3]}' not found")
                    : Ok(commit + "\n");
            default:
                return new ProcessResult(127, "", $"{call.Program} is not installed", NotFound: true);
        }
    }

    /// <summary>A tenant as the program leaves it: admin site at <paramref name="version"/>, pods, backups, certificate.</summary>
    public void Deployed(string ns, string version, string? commit, DateTimeOffset lastBackup, DateTimeOffset notAfter, int readyPods = 2, int pods = 2)
    {
        var stack = ns["os2borgerpc-".Length..];
        StackTags[stack] = commit;
        Add("deployments", new
        {
            metadata = Meta(ns, "admin-site"),
            spec = new { template = new { spec = new { containers = new object[]
            {
                new { name = "admin-site", image = $"ghcr.io/os2borgerpc/os2borgerpc-admin-site:{version}" },
                new { name = "media", image = "nginxinc/nginx-unprivileged:1.27" },
            } } } },
        });
        for (var i = 0; i < pods; i++)
        {
            Add("pods", new { metadata = Meta(ns, $"admin-site-{i}"), status = new { phase = "Running", conditions = new[] { new { type = "Ready", status = i < readyPods ? "True" : "False" } } } });
        }
        Add("pods", new { metadata = Meta(ns, "backup-29000000-abcde"), status = new { phase = "Succeeded", conditions = new[] { new { type = "Ready", status = "False" } } } });
        Add("jobs", Job(ns, "backup-1", "backup", lastBackup.AddDays(-1), succeeded: true));
        Add("jobs", Job(ns, "backup-2", "backup", lastBackup, succeeded: true));
        Add("jobs", Job(ns, "backup-3", "backup", lastBackup.AddHours(3), succeeded: false));
        Add("jobs", Job(ns, "check-notifications-1", "check-notifications", Now.AddMinutes(-5), succeeded: true));
        Add("certificates", new { metadata = Meta(ns, "admin-site-tls"), status = new { notAfter = notAfter.ToString("yyyy-MM-ddTHH:mm:ssZ") } });
        // Another tenant's label key, another namespace: never listed (the selector is the tenant label).
        Add("pods", new { metadata = new { name = "coredns", @namespace = "kube-system", labels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } }, status = new { phase = "Pending" } });
    }

    /// <summary>The kind's CRD is gone: its list answers 404.</summary>
    public void Uninstall(string kind) => _uninstalled[kind] = true;

    public void Dispose() => _listener.Close();

    private void Add(string kind, object item) => _items.GetOrAdd(kind, _ => new ConcurrentQueue<object>()).Enqueue(item);

    private static object Meta(string ns, string name) => new
    {
        name,
        @namespace = ns,
        labels = new Dictionary<string, string> { ["os2borgerpc.dk/tenant"] = ns["os2borgerpc-".Length..], ["app.kubernetes.io/part-of"] = "os2borgerpc" },
    };

    private static object Job(string ns, string name, string cronJob, DateTimeOffset completed, bool succeeded) => new
    {
        metadata = new { name, @namespace = ns, labels = new Dictionary<string, string> { ["os2borgerpc.dk/tenant"] = ns["os2borgerpc-".Length..] },
            ownerReferences = new[] { new { apiVersion = "batch/v1", kind = "CronJob", name = cronJob, uid = "1" } } },
        status = succeeded
            ? (object)new { succeeded = 1, completionTime = completed.ToString("yyyy-MM-ddTHH:mm:ssZ") }
            : new { failed = 1 },
    };

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var request = context.Request;
            Requests.Enqueue(request.Url!.PathAndQuery);
            Authorizations.Enqueue(request.Headers["Authorization"] ?? "");
            var kind = Kinds.FirstOrDefault(k => k.Value == request.Url.AbsolutePath && !_uninstalled.ContainsKey(k.Key)).Key;
            var (status, body) = kind is null
                ? (404, JsonSerializer.Serialize(new { kind = "Status", apiVersion = "v1", status = "Failure", message = "the server could not find the requested resource", reason = "NotFound", code = 404 }))
                : (200, List(kind, request.QueryString["labelSelector"]));
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    /// <summary>A kind's list, as the API serves it; a selector is a label key the items must have.</summary>
    private string List(string kind, string? labelSelector)
    {
        var items = (_items.TryGetValue(kind, out var queue) ? queue.ToArray() : [])
            .Select(item => JsonSerializer.SerializeToNode(item)!)
            .Where(item => labelSelector is null || item["metadata"]?["labels"]?.AsObject().ContainsKey(labelSelector) == true);
        return new JsonObject { ["kind"] = "List", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["items"] = new JsonArray([.. items]) }.ToJsonString();
    }

    /// <summary>An exec plugin: a script (the client joins a plugin's arguments with spaces, so none are given).</summary>
    private static string Plugin(string folder, string name, string script) => FakePrograms.Write(folder, $"kubelogin-{name}", $"#!/bin/sh\n{script}");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessResult Ok(string output) => new(0, output, "");
}
