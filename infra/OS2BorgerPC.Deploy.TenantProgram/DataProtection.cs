using Pulumi;

namespace OS2BorgerPC.Deploy.TenantProgram;

/// <summary>
/// How every piece of a municipality's data is registered, in the cluster or in Azure: protected, so
/// <c>pulumi destroy</c> refuses, and retained, so removing it from a stack leaves it in place.
/// </summary>
internal static class DataProtection
{
    public static CustomResourceOptions Options(Resource? parent = null) =>
        new() { Parent = parent, Protect = true, RetainOnDelete = true };
}
