using Pulumi;
using Pulumi.Utilities;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;

internal static class OutputValues
{
    public static Task<T> Value<T>(this Output<T> output) => OutputUtilities.GetValueAsync(output);

    public static Task<T> Value<T>(this Input<T> input) => OutputUtilities.GetValueAsync(input.ToOutput());

    public static Task<bool> IsSecret<T>(this Output<T> output) => Output.IsSecretAsync(output);
}
