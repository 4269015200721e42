using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;

internal static class Loading
{
    /// <summary>Loads stack text as <c>tenant new</c> does: read, resolve against Pulumi.yaml, validate.</summary>
    public static TenantLoadResult Load(this ProjectWorkspace workspace, string yaml, string stack = StackFile.Stack) =>
        TenantLoader.Load(workspace.ReadStackText(stack, yaml));

    public static TenantLoadResult Load(this ProjectWorkspace workspace, StackFile stack) => workspace.Load(stack.Text);

    /// <summary>The tenant is rejected, with a problem that names file and key and says (or fixes) <paramref name="says"/>.</summary>
    public static void ShouldReport(this TenantLoadResult result, string file, string key, string says)
    {
        result.Tenant.ShouldBeNull();
        result.Problems.ShouldContain(p => p.File == file && p.Key == key && $"{p.Message} {p.Fix}".Contains(says),
            $"expected {file}: {key}: ...{says}..., got:\n{Describe(result.Problems)}");
    }

    public static Model.Tenant ShouldBeValid(this TenantLoadResult result)
    {
        result.Problems.ShouldBeEmpty(Describe(result.Problems));
        return result.Tenant.ShouldNotBeNull();
    }

    public static string Describe(IEnumerable<Problem> problems) => string.Join("\n", problems);
}
