using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests.Support;

/// <summary>Every control-plane test shares the one control plane, and runs one after another (Pulumi's mocks are process-global too).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ControlPlaneCollection : ICollectionFixture<ControlPlane>
{
    public const string Name = "Kubernetes control plane";
}

/// <summary>
/// A throw-away Kubernetes control plane for one test run, without nodes: etcd, kube-apiserver and
/// kube-controller-manager on 127.0.0.1 (free ports), with a CA, a service-account key pair and a static admin
/// token made for the run, and the admission plugins a cluster runs (LimitRanger, ResourceQuota, PodSecurity ...).
/// The controller manager creates ReplicaSets, Jobs and Pods; with no scheduler the pods stay Pending, which is
/// enough to see every admission decision. Stops exactly the processes it started and deletes its folder, also
/// when the test host exits without disposing it. Where the programs are missing it starts nothing (the tests skip).
/// </summary>
public sealed class ControlPlane : IDisposable
{
    public const string ServiceRange = "10.0.0.0/24";
    public const string ServiceAddress = "10.0.0.1";
    public const string AdmissionPlugins = "NamespaceLifecycle,LimitRanger,ServiceAccount,ResourceQuota,PodSecurity,DefaultStorageClass";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly List<(string Name, Process Process)> started = [];
    private readonly DirectoryInfo? root;
    private readonly Dictionary<string, Task<(TenantOnCluster, Rollout)>> tenants = [];
    private ClusterApi? api;
    private Task<PinnedCrds.Installed>? crds;
    private int stopped;

    public ControlPlane()
    {
        if (ControlPlaneBinaries.Missing is not null)
        {
            return;
        }
        root = Directory.CreateTempSubdirectory("os2bpc-control-plane-");
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        try
        {
            var clock = Stopwatch.StartNew();
            var certificates = ClusterCertificates.WriteTo(root.FullName);
            var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
            var tokens = Path.Combine(root.FullName, "tokens.csv");
            File.WriteAllText(tokens, $"{token},admin,admin,system:masters\n");

            var (etcdClient, etcdPeer, apiPort) = (FreePort(), FreePort(), FreePort());
            Start("etcd", ControlPlaneBinaries.Etcd!,
                "--name", "default", "--data-dir", Path.Combine(root.FullName, "etcd"),
                "--listen-client-urls", $"http://127.0.0.1:{etcdClient}", "--advertise-client-urls", $"http://127.0.0.1:{etcdClient}",
                "--listen-peer-urls", $"http://127.0.0.1:{etcdPeer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{etcdPeer}",
                "--initial-cluster", $"default=http://127.0.0.1:{etcdPeer}", "--log-level", "warn");
            Start("kube-apiserver", ControlPlaneBinaries.ApiServer,
                "--etcd-servers", $"http://127.0.0.1:{etcdClient}",
                "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1", "--secure-port", $"{apiPort}",
                "--cert-dir", Path.Combine(root.FullName, "apiserver-certs"),
                "--tls-cert-file", certificates.ServerCertFile, "--tls-private-key-file", certificates.ServerKeyFile,
                "--client-ca-file", certificates.CaFile, "--token-auth-file", tokens, "--authorization-mode", "RBAC",
                "--service-account-issuer", "https://kubernetes.default.svc", "--api-audiences", "https://kubernetes.default.svc",
                "--service-account-key-file", certificates.ServiceAccountPublicKeyFile,
                "--service-account-signing-key-file", certificates.ServiceAccountKeyFile,
                "--service-cluster-ip-range", ServiceRange, "--enable-admission-plugins", AdmissionPlugins,
                "--allow-privileged=false", "--profiling=false", "--v=1");

            Server = $"https://127.0.0.1:{apiPort}";
            Client = new Kubernetes(new KubernetesClientConfiguration
            {
                Host = Server,
                AccessToken = token,
                SslCaCerts = [X509Certificate2.CreateFromPem(File.ReadAllText(certificates.CaFile))],
            });
            WaitFor("kube-apiserver /readyz", () => Client.HttpClient.GetAsync($"{Server}/readyz")
                .ContinueWith(t => t.IsCompletedSuccessfully && t.Result.IsSuccessStatusCode && Ready(Client)).Result);

            var kubeconfig = Kubeconfig = Path.Combine(root.FullName, "kubeconfig");
            File.WriteAllText(kubeconfig, $"""
                apiVersion: v1
                kind: Config
                clusters: [{"{"}name: test, cluster: {"{"}server: '{Server}', certificate-authority: '{certificates.CaFile}'{"}"}{"}"}]
                users: [{"{"}name: admin, user: {"{"}token: '{token}'{"}"}{"}"}]
                contexts: [{"{"}name: test, context: {"{"}cluster: test, user: admin{"}"}{"}"}]
                current-context: test
                """);
            Start("kube-controller-manager", ControlPlaneBinaries.ControllerManager,
                "--kubeconfig", kubeconfig, "--leader-elect=false", "--secure-port=0",
                "--service-account-private-key-file", certificates.ServiceAccountKeyFile, "--root-ca-file", certificates.CaFile,
                "--use-service-account-credentials=false",
                "--controllers", "*", "--v=1");
            // The service-account controller gives every namespace its "default" account: the controller manager works.
            WaitFor("kube-controller-manager (the default service account)", () =>
                Client.CoreV1.ListNamespacedServiceAccountAsync("default").ContinueWith(t => t.IsCompletedSuccessfully && t.Result.Items.Any(a => a.Metadata.Name == "default")).Result);
            StartupTime = clock.Elapsed;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The API server's address.</summary>
    public string Server { get; } = "";

    /// <summary>A kubeconfig file whose current context is this control plane, as a cluster administrator (for kubectl).</summary>
    public string Kubeconfig { get; } = "";

    /// <summary>A client authenticated as a cluster administrator (group system:masters).</summary>
    public Kubernetes Client { get; } = null!;

    /// <summary>From the first process started until the controller manager works.</summary>
    public TimeSpan StartupTime { get; }

    /// <summary>Server-side apply and discovery on this control plane.</summary>
    public ClusterApi Api => api ??= new ClusterApi(Client);

    /// <summary>The pinned CRDs, installed once (before any tenant, whose custom resources need them).</summary>
    public Task<PinnedCrds.Installed> Crds => crds ??= PinnedCrds.InstallAsync(Api);

    /// <summary>A stack's program rendered and rolled out once per run; later tests build on it.</summary>
    public async Task<(TenantOnCluster Tenant, Rollout Rollout)> RolledOut(string stack, string stackFileYaml)
    {
        await Crds;
        if (!tenants.TryGetValue(stack, out var rollout))
        {
            tenants[stack] = rollout = RollOut(stack, stackFileYaml);
        }
        return await rollout;
    }

    private async Task<(TenantOnCluster, Rollout)> RollOut(string stack, string stackFileYaml)
    {
        var tenant = await TenantOnCluster.Render(Api, stack, stackFileYaml);
        return (tenant, await tenant.RollOut());
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Stop();
    }

    /// <summary>Whether the API serves the discovery documents yet.</summary>
    private static bool Ready(Kubernetes client) =>
        client.CoreV1.ListNamespaceAsync().ContinueWith(t => t.IsCompletedSuccessfully && t.Result.Items.Any(n => n.Metadata.Name == "default")).Result;

    private void Start(string name, string program, params string[] arguments)
    {
        var log = Path.Combine(root!.FullName, $"{name}.log");
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root.FullName,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        started.Add((name, process));
        process.StandardInput.Close();
        var writer = TextWriter.Synchronized(new StreamWriter(log) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { writer.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { writer.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void WaitFor(string what, Func<bool> ready)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (started.FirstOrDefault(p => p.Process.HasExited) is { Process: not null } gone)
            {
                throw new InvalidOperationException($"{gone.Name} exited with {gone.Process.ExitCode} while waiting for {what}.\n{Logs()}");
            }
            try
            {
                if (ready())
                {
                    return;
                }
            }
            catch (AggregateException)
            {
                // Not listening yet.
            }
            Thread.Sleep(250);
        }
        throw new TimeoutException($"{what} was not ready within {StartTimeout.TotalSeconds} s.\n{Logs()}");
    }

    /// <summary>The last lines of each program's log, for a failed start.</summary>
    private string Logs() => string.Join("\n", started.Select(p =>
    {
        var log = Path.Combine(root!.FullName, $"{p.Name}.log");
        var lines = File.Exists(log) ? File.ReadLines(log).TakeLast(30) : [];
        return $"--- {p.Name}:\n{string.Join("\n", lines)}";
    }));

    private void OnProcessExit(object? sender, EventArgs e) => Stop();

    /// <summary>The processes this fixture started, last first; then its folder.</summary>
    private void Stop()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }
        Client?.Dispose();
        foreach (var (_, process) in Enumerable.Reverse(started))
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
        try
        {
            root?.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A log still being closed: the temp folder is the system's to clean.
        }
    }

    /// <summary>A loopback port nothing listens on (at the moment of asking).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
