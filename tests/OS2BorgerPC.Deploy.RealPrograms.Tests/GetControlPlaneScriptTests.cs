using System.Runtime.InteropServices;
using System.Security.Cryptography;
using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// tests/OS2BorgerPC.Deploy.ControlPlane.Tests/get-control-plane.sh, the one command that makes the control-plane
/// tier runnable, under bash: what <c>--check</c> finds, looking where the tier looks (the folder named by
/// OS2BORGERPC_CONTROL_PLANE_DIR; etcd there or on PATH), and the download against a fake curl that serves the
/// release files (these tests have no network): a program is installed only when it matches its published checksum.
/// </summary>
public sealed class GetControlPlaneScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(RepositoryRoot.FullPath, "tests", "OS2BorgerPC.Deploy.ControlPlane.Tests", "get-control-plane.sh");

    // v1.26.15 is the last Kubernetes 1.26 release (kubernetes/kubernetes CHANGELOG/CHANGELOG-1.26.md); dl.k8s.io
    // serves each server binary at release/<version>/bin/linux/<arch>/<name>, its bare SHA-256 digest at <name>.sha256
    // (kubernetes/website content/en/docs/tasks/tools/install-kubectl-linux.md: echo "$(cat kubectl.sha256)  kubectl" | sha256sum --check).
    private const string Version = "v1.26.15";

    private static readonly string Release = $"https://dl.k8s.io/release/{Version}/bin/linux/"
        + (RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64") + "/";

    private const string KubernetesStub = "#!/bin/sh\necho 'Kubernetes v1.26.15'\n";
    private const string EtcdStub = "#!/bin/sh\nprintf 'etcd Version: 3.4.23\\nGit SHA: stub\\n'\n";

    // Writes each requested URL to $FAKE_LOG and serves $FAKE_SERVED/<last part of the URL>; curl -f's exit 22 when absent.
    private const string FakeCurl = """
        #!/bin/sh
        out= url=
        while [ $# -gt 0 ]; do
            case $1 in
                -o) out=$2; shift 2 ;;
                --retry) shift 2 ;;
                -*) shift ;;
                *) url=$1; shift ;;
            esac
        done
        echo "$url" >> "$FAKE_LOG"
        [ -f "$FAKE_SERVED/${url##*/}" ] || exit 22
        cp "$FAKE_SERVED/${url##*/}" "$out"
        """;

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("os2bpc-get-control-plane-");

    public GetControlPlaneScriptTests()
    {
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(Served);
        File.WriteAllText(Log, "");
    }

    // Not made by the tests: the script makes it when it installs.
    private string Folder => Path.Combine(_root.FullName, "control-plane");

    private string Bin => Path.Combine(_root.FullName, "bin");

    private string Served => Path.Combine(_root.FullName, "served");

    private string Log => Path.Combine(_root.FullName, "curl.log");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Check_in_an_empty_folder_without_etcd_on_PATH_names_both_Kubernetes_programs_and_etcd_and_fails()
    {
        var run = Run(["--check"], path: Bin);

        run.ExitCode.ShouldBe(1, run.Transcript);
        run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0])
            .ShouldBe(["kube-apiserver", "kube-controller-manager", "etcd"], run.Transcript);
        run.Output.ShouldContain($"{Version}, into {Folder}");
        Directory.Exists(Folder).ShouldBeFalse();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Check_finds_the_Kubernetes_programs_in_the_folder_and_etcd_there_or_on_PATH(bool etcdInFolder)
    {
        WriteProgram(Folder, "kube-apiserver", KubernetesStub);
        WriteProgram(Folder, "kube-controller-manager", KubernetesStub);
        WriteProgram(etcdInFolder ? Folder : Bin, "etcd", EtcdStub);

        var run = Run(["--check"], path: Bin);

        run.ShouldSucceed().Output.ShouldBeEmpty();
    }

    [Fact]
    public void A_run_with_everything_present_downloads_nothing_and_names_what_it_found_with_its_version()
    {
        WriteProgram(Folder, "kube-apiserver", KubernetesStub);
        WriteProgram(Folder, "kube-controller-manager", KubernetesStub);
        WriteProgram(Folder, "etcd", EtcdStub);

        var run = Run([]).ShouldSucceed();

        run.Output.ShouldContain($"found {Folder}/kube-apiserver (Kubernetes v1.26.15)");
        run.Output.ShouldContain($"found {Folder}/kube-controller-manager (Kubernetes v1.26.15)");
        run.Output.ShouldContain($"found {Folder}/etcd (etcd Version: 3.4.23)");
        File.ReadAllText(Log).ShouldBeEmpty();
    }

    [Fact]
    public void A_missing_program_is_downloaded_for_this_machines_architecture_checked_against_its_published_checksum_and_installed()
    {
        WriteProgram(Folder, "etcd", EtcdStub);
        WriteProgram(Folder, "kube-controller-manager", KubernetesStub);
        Serve("kube-apiserver", KubernetesStub, Digest(KubernetesStub));

        var run = Run([]).ShouldSucceed();

        File.ReadAllLines(Log).ShouldBe([Release + "kube-apiserver", Release + "kube-apiserver.sha256"]);
        File.ReadAllText(Path.Combine(Folder, "kube-apiserver")).ShouldBe(KubernetesStub);
        File.GetUnixFileMode(Path.Combine(Folder, "kube-apiserver")).HasFlag(UnixFileMode.UserExecute).ShouldBeTrue();
        run.Output.ShouldContain($"found {Folder}/kube-apiserver (Kubernetes v1.26.15)");
        Directory.GetFileSystemEntries(Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(["etcd", "kube-apiserver", "kube-controller-manager"]);
    }

    [Fact]
    public void A_download_that_does_not_match_its_published_checksum_is_not_installed()
    {
        WriteProgram(Folder, "etcd", EtcdStub);
        Serve("kube-apiserver", KubernetesStub, Digest("something else"));
        Serve("kube-controller-manager", KubernetesStub, Digest(KubernetesStub));

        var run = Run([]).ShouldFail();

        run.Error.ShouldContain("kube-apiserver does not match the checksum published at " + Release + "kube-apiserver.sha256; nothing installed.");
        Directory.GetFileSystemEntries(Folder).Select(Path.GetFileName).ShouldBe(["etcd"]);
    }

    [Fact]
    public void The_script_passes_shellcheck() =>
        RealProgram.Find("shellcheck", "shellcheck").Run([Script]).ShouldSucceed();

    /// <param name="path">PATH for the script; by default the fakes first, then the system's programs (uname, sha256sum, mktemp ...).</param>
    private ProgramRun Run(string[] arguments, string? path = null)
    {
        WriteProgram(Bin, "curl", FakeCurl);
        return RealProgram.Find("bash", "bash").Run([Script, .. arguments], new Dictionary<string, string?>
        {
            ["OS2BORGERPC_CONTROL_PLANE_DIR"] = Folder,
            ["PATH"] = path ?? $"{Bin}:/usr/bin:/bin",
            ["FAKE_LOG"] = Log,
            ["FAKE_SERVED"] = Served,
        });
    }

    private void Serve(string name, string content, string digest)
    {
        File.WriteAllText(Path.Combine(Served, name), content);
        File.WriteAllText(Path.Combine(Served, name + ".sha256"), digest);
    }

    private static string Digest(string content) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content))).ToLowerInvariant();

    private static void WriteProgram(string folder, string name, string text)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}
