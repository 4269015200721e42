namespace OS2BorgerPC.Deploy.Cli.Processes;

/// <summary>How a Job ended, from its conditions.</summary>
public enum JobOutcome
{
    Running,
    Complete,
    Failed,
}

/// <summary>kubectl in one tenant's namespace (and kubeconfig context, when one is given).</summary>
public sealed class Kubectl(IProcessRunner runner, string? context, string ns)
{
    public const string Program = "kubectl";

    public string Context => context ?? "(current context)";

    public ProcessResult Run(params string[] arguments) => runner.Run(Call(arguments));

    /// <summary><c>kubectl apply -f -</c> with the manifests on standard input.</summary>
    public ProcessResult Apply(string yaml) => runner.Run(Call("apply", "-f", "-") with { StandardInputText = yaml });

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

    public JobOutcome JobStatus(string job)
    {
        var result = Run("get", $"job/{job}", "-o", "jsonpath={.status.conditions[?(@.status==\"True\")].type}");
        var conditions = result.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return !result.Succeeded || conditions.Contains("Failed") ? JobOutcome.Failed
            : conditions.Contains("Complete") ? JobOutcome.Complete
            : JobOutcome.Running;
    }

    private ProcessCall Call(params string[] arguments) =>
        new(Program, [.. context is null ? [] : new[] { "--context", context }, "--namespace", ns, .. arguments]);
}

public static class JobWaiting
{
    /// <summary>Polls the job until it completes or fails; a job past its own deadline fails, so this ends (at the latest <paramref name="deadlineSeconds"/> plus ten minutes).</summary>
    public static JobOutcome WaitForJob(this Kubectl kubectl, string job, Shell shell, int deadlineSeconds)
    {
        var giveUp = shell.Time.GetUtcNow().AddSeconds(deadlineSeconds + 600);
        while (true)
        {
            var outcome = kubectl.JobStatus(job);
            if (outcome != JobOutcome.Running || shell.Time.GetUtcNow() > giveUp)
            {
                return outcome;
            }
            Thread.Sleep(shell.PollInterval);
        }
    }
}
