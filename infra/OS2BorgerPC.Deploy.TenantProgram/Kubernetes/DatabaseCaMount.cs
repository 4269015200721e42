using OS2BorgerPC.Deploy.TenantDecisions.Security;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes;

/// <summary>
/// A database's root certificate in a pod (<see cref="DatabaseTls"/>): the volume projects only the certificate's key
/// of its Secret or ConfigMap, every container that connects mounts it read-only and gets libpq's verify-full variables.
/// </summary>
internal static class DatabaseCaMount
{
    public static VolumeArgs Volume(DatabaseCa ca)
    {
        var items = new KeyToPathArgs { Key = ca.Key, Path = DatabaseTls.CertificateFile };
        return ca.Kind switch
        {
            DatabaseCaKind.Secret => new VolumeArgs { Name = DatabaseTls.Volume, Secret = new SecretVolumeSourceArgs { SecretName = ca.Name, Items = items } },
            DatabaseCaKind.ConfigMap => new VolumeArgs { Name = DatabaseTls.Volume, ConfigMap = new ConfigMapVolumeSourceArgs { Name = ca.Name, Items = items } },
            _ => throw new ArgumentOutOfRangeException(nameof(ca), ca.Kind, "unknown kind of root certificate"),
        };
    }

    public static VolumeMountArgs Mount() => new() { Name = DatabaseTls.Volume, MountPath = DatabaseTls.MountPath, ReadOnly = true };

    public static EnvVarArgs[] Environment() => [.. DatabaseTls.Environment().Select(variable => Env.Value(variable.Key, variable.Value))];
}
