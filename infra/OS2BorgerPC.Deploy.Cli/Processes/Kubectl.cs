namespace OS2BorgerPC.Deploy.Cli.Processes;

/// <summary>How a Job ended, from its conditions; <see cref="Unknown"/> when kubectl could not say (the Job may still run).</summary>
public enum JobOutcome
{
    Running,
    Complete,
    Failed,
    Unknown,

    /// <summary>The operator interrupted the wait (Ctrl+C); the Job goes on.</summary>
    Interrupted,
}

/// <summary>kubectl in one tenant's namespace (and kubeconfig context, when one is given).</summary>
public sealed class Kubectl(IProcessRunner runner, string? context, string ns)
{
    public const string Program = "kubectl";

    public string Context => context ?? "(current context)";

    public ProcessResult Run(params string[] arguments) => runner.Run(Call(arguments));

    /// <summary><c>kubectl apply -f -</c> with the manifests on standard input.</summary>
    public ProcessResult Apply(string yaml) => runner.Run(Call("apply", "-f", "-") with { StandardInputText = yaml });

    /// <summary>
    /// Lets a volume go with its claim: the platform's storage classes retain released volumes (reclaimPolicy Retain, for the
    /// tenants' data), so a scratch claim's volume (a restore's recovery cluster, an import's staging claim) is set to Delete first.
    /// </summary>
    public ProcessResult DeleteOnRelease(string volume) =>
        Run("patch", $"persistentvolume/{volume}", "--type=merge", "--patch", """{"spec":{"persistentVolumeReclaimPolicy":"Delete"}}""");

    /// <summary>Streams a local file into <paramref name="path"/> inside a pod (no copy of it on any other disk).</summary>
    public ProcessResult Upload(string pod, string container, string file, string path) => runner.Run(
        Call("exec", "-i", $"pod/{pod}", "-c", container, "--", "sh", "-c", "umask 007 && mkdir -p \"$(dirname \"$1\")\" && cat > \"$1\"", "upload", path)
        with { StandardInputFile = file });

    /// <summary>The SHA-256 of a file inside a pod, as sha256sum prints it, or null.</summary>
    public string? Sha256(string pod, string container, string path)
    {
        var result = Run("exec", $"pod/{pod}", "-c", container, "--", "sha256sum", path);
        return result.Succeeded ? result.Output.Split(' ', 2)[0].Trim() : null;
    }

    /// <summary>The Jobs carrying <c>component=<paramref name="component"/></c> that have pods running (space-separated names, empty for none), or null when kubectl cannot say.</summary>
    public string? ActiveJobs(string componentLabel, string component)
    {
        var result = Run("get", "jobs", "-l", $"{componentLabel}={component}", "-o", "jsonpath={.items[?(@.status.active)].metadata.name}");
        return result.Succeeded ? result.Output.Trim() : null;
    }

    public JobOutcome JobStatus(string job)
    {
        var result = Run("get", $"job/{job}", "-o", "jsonpath={.status.conditions[?(@.status==\"True\")].type}");
        var conditions = result.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return !result.Succeeded ? JobOutcome.Unknown
            : conditions.Contains("Failed") ? JobOutcome.Failed
            : conditions.Contains("Complete") ? JobOutcome.Complete
            : JobOutcome.Running;
    }

    private ProcessCall Call(params string[] arguments) =>
        new(Program, [.. context is null ? [] : new[] { "--context", context }, "--namespace", ns, .. arguments]);
}

public static class JobWaiting
{
    /// <summary>How many times in a row kubectl may fail to answer (an API blip, a token refresh, a dropped connection) before the state is unknown.</summary>
    public const int TransientRetries = 8;

    /// <summary>The longest wait between two tries after kubectl failed to answer.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Polls the job until it completes or fails; a job past its own deadline fails, so this ends (at the latest
    /// <paramref name="deadlineSeconds"/> plus ten minutes). A failed kubectl call is no failed Job: it is tried again,
    /// waiting twice as long each time (up to <see cref="MaxBackoff"/>), and only <see cref="TransientRetries"/> failures
    /// in a row end the wait, as <see cref="JobOutcome.Unknown"/>.
    /// </summary>
    public static JobOutcome WaitForJob(this Kubectl kubectl, string job, Shell shell, int deadlineSeconds)
    {
        var giveUp = shell.Time.GetUtcNow().AddSeconds(deadlineSeconds + 600);
        var failures = 0;
        while (true)
        {
            if (shell.Interrupted.IsCancellationRequested)
            {
                return JobOutcome.Interrupted;
            }
            var outcome = kubectl.JobStatus(job);
            failures = outcome == JobOutcome.Unknown ? failures + 1 : 0;
            if (outcome is JobOutcome.Complete or JobOutcome.Failed || failures > TransientRetries || shell.Time.GetUtcNow() > giveUp)
            {
                return outcome;
            }
            var backoff = shell.PollInterval * Math.Pow(2, Math.Max(0, failures - 1));
            shell.Interrupted.WaitHandle.WaitOne(failures == 0 ? shell.PollInterval : backoff < MaxBackoff ? backoff : MaxBackoff);
        }
    }
}
