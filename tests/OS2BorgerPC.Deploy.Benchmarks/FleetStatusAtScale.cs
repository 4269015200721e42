using System.Globalization;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using OS2BorgerPC.Deploy.Cli;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.ControlPlane.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Rendering;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Benchmarks;

/// <summary>
/// <c>fleet status --json --parallel 8</c>, in process, over every municipality (98) and a fleet of 500 generated
/// tenants, against the control-plane tier's kube-apiserver (and controller manager, which makes the Deployments'
/// pods) with every tenant's objects applied: each tenant's namespace holds the objects of a rendered tenant of its
/// hosting (the program under mocks, as the control-plane tier renders it), renamed to the tenant. Pulumi as on
/// this machine (not installed: the stack tag question answers at once). Target (issue 30): at most 5 s for 98
/// tenants, at most 3 API list calls per kind; the setup counts the calls from the API server's own
/// <c>apiserver_request_total</c> and fails the benchmark above that.
/// </summary>
[Config(typeof(FewRunsInProcess))]
public class FleetStatusAtScale
{
    /// <summary>A control plane per fleet size, in this process; a few runs, one warm-up.</summary>
    private sealed class FewRunsInProcess : ManualConfig
    {
        public FewRunsInProcess() => AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5)
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true)));
    }

    public const int MaxListsPerKind = 3;

    [Params(98, 500)]
    public int Tenants { get; set; }

    private ControlPlane.Tests.Support.ControlPlane _plane = null!;
    private TempRepository _repository = null!;
    private Shell _shell = null!;

    [GlobalSetup]
    public void ApplyFleet()
    {
        if (ControlPlaneBinaries.Missing is { } missing)
        {
            throw new InvalidOperationException(missing);
        }
        _plane = new ControlPlane.Tests.Support.ControlPlane();
        _repository = new TempRepository();
        try
        {
            Prepare();
        }
        catch
        {
            // BenchmarkDotNet runs no cleanup after a failed setup: the control plane's processes go now.
            Stop();
            throw;
        }
    }

    private void Prepare()
    {
        var fleet = FleetLoading.GeneratedFleet().Take(Tenants).ToList();
        foreach (var tenant in fleet)
        {
            _repository.WithStack(tenant.Slug, tenant.RenderStackFile());
        }
        Run(async () =>
        {
            await _plane.Crds;
            var templates = new Dictionary<string, (string Slug, IReadOnlyList<KubernetesManifest> Manifests)>();
            foreach (var hosting in fleet.Select(t => t.Hosting).Distinct())
            {
                var template = fleet.First(t => t.Hosting == hosting);
                var rendered = await TenantOnCluster.Render(_plane.Api, template.Slug, template.RenderStackFile());
                templates[hosting] = (template.Slug, ApplyOrder.Sort(rendered.Manifests).Where(m => m.Namespace is not null || m.Kind == "Namespace").ToList());
            }
            await Parallel.ForEachAsync(fleet, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (tenant, _) =>
            {
                var (slug, manifests) = templates[tenant.Hosting];
                foreach (var manifest in manifests)
                {
                    var json = manifest.Body.ToJsonString()
                        .Replace($"\"{TenantNames.TenantLabel}\":\"{slug}\"", $"\"{TenantNames.TenantLabel}\":\"{tenant.Slug}\"", StringComparison.Ordinal)
                        .Replace($"os2borgerpc-{slug}", $"os2borgerpc-{tenant.Slug}", StringComparison.Ordinal);
                    var ns = manifest.Namespace?.Replace($"os2borgerpc-{slug}", $"os2borgerpc-{tenant.Slug}", StringComparison.Ordinal);
                    var name = manifest.Kind == "Namespace" ? $"os2borgerpc-{tenant.Slug}" : manifest.Name;
                    // A refusal (a quota not counted yet) leaves that object out; the status reads what is there.
                    await _plane.Api.ApplyAsync(manifest.ApiVersion, manifest.Kind, ns, name, json, $"{manifest.Kind} {ns}/{name}");
                }
            });
        });
        _shell = Shell.System with { Kubeconfig = _plane.Kubeconfig };

        var before = ListCalls();
        var exit = Status();
        var lists = ListCalls().Select(kind => (kind.Key, Calls: kind.Value - before.GetValueOrDefault(kind.Key))).Where(k => k.Calls > 0).ToList();
        Console.WriteLine($"// fleet status over {Tenants} tenants (exit {exit}); API list calls per kind: "
            + string.Join(", ", lists.Select(k => $"{k.Key} {k.Calls}")) + $"; machine load: {File.ReadAllText("/proc/loadavg").Trim()}");
        if (lists.Count == 0 || lists.Any(k => k.Calls > MaxListsPerKind))
        {
            throw new InvalidOperationException($"More than {MaxListsPerKind} list calls of a kind (or none): {string.Join(", ", lists)}");
        }
    }

    [Benchmark]
    public int Status()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        return CliApp.Run(["fleet", "status", "--json", "--parallel", "8"], _repository.Root, output, error, shell: _shell);
    }

    [GlobalCleanup]
    public void Stop()
    {
        _repository.Dispose();
        _plane.Dispose();
    }

    /// <summary>The API server's count of LIST requests per resource (its Prometheus metrics).</summary>
    private Dictionary<string, double> ListCalls()
    {
        var metrics = Get(_plane.Client, "/metrics").GetAwaiter().GetResult();
        return Regex.Matches(metrics, @"^apiserver_request_total\{(?<labels>[^}]*)\} (?<count>\S+)$", RegexOptions.Multiline)
            .Select(m => (Labels: m.Groups["labels"].Value, Count: double.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture)))
            .Where(m => m.Labels.Contains("verb=\"LIST\"", StringComparison.Ordinal))
            .GroupBy(m => Regex.Match(m.Labels, "resource=\"(?<r>[^\"]*)\"").Groups["r"].Value)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Count));
    }

    private static async Task<string> Get(k8s.Kubernetes client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, path));
        await client.Credentials.ProcessHttpRequestAsync(request, CancellationToken.None);
        using var response = await client.HttpClient.SendAsync(request);
        return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    private static void Run(Func<Task> work) => Task.Run(work).GetAwaiter().GetResult();
}
