using Pulumi;

namespace OS2BorgerPC.Deploy.PlatformProgram;

/// <summary>
/// How what every tenant depends on is registered (the state account, the secrets key, the DNS zone, the cluster,
/// the backup target): protected, so <c>pulumi destroy</c> refuses, and retained, so removing it from the program
/// leaves it in place. The tenant program's DataProtection does the same for a municipality's data.
/// </summary>
public static class Protection
{
    public static CustomResourceOptions Options(Resource parent) => new() { Parent = parent, Protect = true, RetainOnDelete = true };
}
