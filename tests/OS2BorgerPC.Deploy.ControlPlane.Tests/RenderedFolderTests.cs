using System.Diagnostics;
using k8s;
using OS2BorgerPC.Deploy.Cli;
using OS2BorgerPC.Deploy.ControlPlane.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using Xunit.Abstractions;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests;

/// <summary>
/// <c>tenant render --output &lt;folder&gt;</c>, then one <c>kubectl apply -f &lt;folder&gt;</c> as a newcomer types it, on a
/// control plane with the platform's CRDs and nothing of the tenant: every object is created in one go. kubectl
/// takes a folder's files in name order (kubernetes staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go,
/// ExpandPathsToFileVisitors: filepath.Walk, which walks in lexical order) and refuses an object whose namespace
/// does not exist yet: the file names' apply-order stages are what make this pass.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class RenderedFolderTests(Support.ControlPlane plane, ITestOutputHelper output)
{
    [KubectlFact]
    public async Task A_rendered_folder_applies_with_one_kubectl_apply_on_a_fresh_cluster()
    {
        await plane.Crds;
        using var repository = new TempRepository();
        // The municipality no other test rolls out (TenantStacks takes the first by code): its namespace is new here.
        var municipality = MunicipalityRegister.All.MaxBy(m => m.Code)!;
        Cli(repository, "tenant", "new", $"{municipality.Code}");
        var facts = Path.Combine(repository.Root, "platform-facts.json");
        File.WriteAllText(facts, RecordedPlatform.Azure.ToJson());
        Cli(repository, "tenant", "render", municipality.Slug, "--platform-facts", facts, "--output", "rendered");
        var folder = Path.Combine(repository.Root, "rendered");
        var files = Directory.GetFiles(folder);
        var ns = $"os2borgerpc-{municipality.Slug}";
        (await plane.Client.CoreV1.ListNamespaceAsync()).Items.ShouldNotContain(n => n.Metadata.Name == ns);

        var apply = new ProcessStartInfo(KubectlFactAttribute.Kubectl!)
        {
            ArgumentList = { "apply", "-f", folder, "--cache-dir", Path.Combine(repository.Root, "kube-cache") },
            Environment = { ["KUBECONFIG"] = plane.Kubeconfig },
        };
        try
        {
            var (exitCode, stdout, stderr) = ChildProcess.Run(apply, TimeSpan.FromMinutes(3));
            output.WriteLine($"{ChildProcess.Describe(apply.FileName, apply.ArgumentList)}: exit {exitCode}, {files.Length} files\n{stdout}{stderr}");

            exitCode.ShouldBe(0, stderr);
            stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.EndsWith(" created", StringComparison.Ordinal))
                .ShouldBe(files.Length, "each file's object created by the one apply");
        }
        finally
        {
            // The namespace and everything in it go again: the next tests meet the control plane as before.
            if ((await plane.Client.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name == ns))
            {
                await plane.Client.CoreV1.DeleteNamespaceAsync(ns);
            }
        }
    }

    private static void Cli(TempRepository repository, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        CliApp.Run(args, repository.Root, stdout, stderr).ShouldBe(0, $"{string.Join(' ', args)}:\n{stdout}{stderr}");
    }
}
