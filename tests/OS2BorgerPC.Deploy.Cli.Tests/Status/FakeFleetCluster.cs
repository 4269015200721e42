using System.Collections.Concurrent;
using System.Text.Json;
using OS2BorgerPC.Deploy.Cli.Processes;

namespace OS2BorgerPC.Deploy.Cli.Tests.Status;

/// <summary>
/// pulumi, kubectl and git as a fleet's backend, clusters and clone answer <c>fleet status</c>, from recorded
/// answers per tenant. Safe to call from several threads; records every call.
/// </summary>
internal sealed class FakeFleetCluster : IProcessRunner
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
    public const string Main = "6a96d19567bf5c002c76d16cf80f6c894c2af499";
    public const string Unreachable = "Unable to connect to the server: dial tcp: lookup aks-west: no such host";

    /// <summary>The deployed-commit tag per stack, null where a stack has none; a stack not here does not exist.</summary>
    public ConcurrentDictionary<string, string?> StackTags { get; } = new();

    /// <summary>What <c>kubectl get &lt;resource&gt;</c> answers per namespace and resource; a resource not here is NotFound.</summary>
    public ConcurrentDictionary<(string Namespace, string Resource), ProcessResult> Objects { get; } = new();

    /// <summary>Namespaces whose cluster does not answer.</summary>
    public ConcurrentBag<string> UnreachableNamespaces { get; } = [];

    public ConcurrentQueue<ProcessCall> Calls { get; } = new();

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
            case Kubectl.Program:
                var ns = args[args.ToList().IndexOf("--namespace") + 1];
                if (UnreachableNamespaces.Contains(ns))
                {
                    return new ProcessResult(1, "", Unreachable);
                }
                var get = args.ToList().IndexOf("get");
                var resource = args[get + 1] == "deployment" ? $"deployment/{args[get + 2]}" : args[get + 1];
                return Objects.TryGetValue((ns, resource), out var answer) ? answer
                    : resource.Contains('.') && resource != "certificates.cert-manager.io" && resource != "jobs"
                        ? new ProcessResult(1, "", $"error: the server doesn't have a resource type \"{resource.Split('.')[0]}\"")
                        : resource.StartsWith("deployment/", StringComparison.Ordinal)
                            ? new ProcessResult(1, "", $"Error from server (NotFound): deployments.apps \"{resource[11..]}\" not found")
                            : Ok(List());
            default:
                return new ProcessResult(127, "", $"{call.Program} is not installed", NotFound: true);
        }
    }

    /// <summary>A tenant as the program leaves it: admin site at <paramref name="version"/>, pods, backups, certificate.</summary>
    public void Deployed(string ns, string version, string? commit, DateTimeOffset lastBackup, DateTimeOffset notAfter, int readyPods = 2, int pods = 2)
    {
        var stack = ns["os2borgerpc-".Length..];
        StackTags[stack] = commit;
        Objects[(ns, "deployment/admin-site")] = Ok(Json(new
        {
            kind = "Deployment",
            spec = new { template = new { spec = new { containers = new object[]
            {
                new { name = "admin-site", image = $"ghcr.io/os2borgerpc/os2borgerpc-admin-site:{version}" },
                new { name = "media", image = "nginxinc/nginx-unprivileged:1.27" },
            } } } },
        }));
        Objects[(ns, "pods")] = Ok(List(Enumerable.Range(0, pods).Select(i => (object)new
        {
            metadata = new { name = $"admin-site-{i}" },
            status = new { phase = "Running", conditions = new[] { new { type = "Ready", status = i < readyPods ? "True" : "False" } } },
        }).Append(new
        {
            metadata = new { name = "backup-29000000-abcde" },
            status = new { phase = "Succeeded", conditions = new[] { new { type = "Ready", status = "False" } } },
        }).ToArray()));
        Objects[(ns, "jobs")] = Ok(List(
            Job("backup-1", "backup", lastBackup.AddDays(-1), succeeded: true),
            Job("backup-2", "backup", lastBackup, succeeded: true),
            Job("backup-3", "backup", lastBackup.AddHours(3), succeeded: false),
            Job("check-notifications-1", "check-notifications", Now.AddMinutes(-5), succeeded: true)));
        Objects[(ns, "certificates.cert-manager.io")] = Ok(List(new { metadata = new { name = "admin-site-tls" }, status = new { notAfter = notAfter.ToString("yyyy-MM-ddTHH:mm:ssZ") } }));
    }

    private static object Job(string name, string cronJob, DateTimeOffset completed, bool succeeded) => new
    {
        metadata = new { name, ownerReferences = new[] { new { apiVersion = "batch/v1", kind = "CronJob", name = cronJob, uid = "1" } } },
        status = succeeded
            ? (object)new { succeeded = 1, completionTime = completed.ToString("yyyy-MM-ddTHH:mm:ssZ") }
            : new { failed = 1 },
    };

    private static string List(params object[] items) => Json(new { apiVersion = "v1", kind = "List", items });

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static ProcessResult Ok(string output) => new(0, output, "");
}
