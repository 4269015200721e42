using Pulumi;
using Pulumi.Command.Local;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes;

/// <summary>A shell script run by Pulumi.Command on the operator's (or CI's) machine.</summary>
internal static class LocalScript
{
    /// <param name="name">The resource name.</param>
    /// <param name="script">The script; it never contains a secret.</param>
    /// <param name="triggers">The only values whose change runs it again.</param>
    /// <param name="options">Parent and dependencies.</param>
    public static Command Run(string name, string script, IEnumerable<string> triggers, CustomResourceOptions options)
    {
        // Output is kept as a secret in state and only errors reach the log: defence in depth, the scripts print no secret.
        options.AdditionalSecretOutputs = ["stdout", "stderr"];
        return new Command(name, new CommandArgs
        {
            Create = script,
            Interpreter = { "/bin/sh", "-c" },
            Triggers = triggers.Cast<object>().ToArray(),
            Logging = Logging.Stderr,
        }, options);
    }
}
