using OS2BorgerPC.Deploy.TenantProgram.Contracts;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes;

/// <summary>Environment variables: plain values for settings, secretKeyRef for every secret.</summary>
internal static class Env
{
    public static EnvVarArgs Value(string name, Input<string> value) => new() { Name = name, Value = value };

    public static EnvVarArgs Secret(string name, SecretKey key) => new()
    {
        Name = name,
        ValueFrom = new EnvVarSourceArgs
        {
            SecretKeyRef = new SecretKeySelectorArgs { Name = key.SecretName, Key = key.Key },
        },
    };
}
