using System.Collections;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Benchmarks;

/// <summary>
/// What one run of a program sent the engine: its resources (components, providers and custom resources;
/// the stack itself not counted) and its input values (every scalar, list and map in their inputs).
/// </summary>
public sealed record ProgramShape(int Resources, int InputValues)
{
    internal static ProgramShape Of(TenantMocks mocks) =>
        new(mocks.Registered.Count, mocks.Registered.Sum(r => Values(r.Inputs)));

    private static int Values(object? value) => value switch
    {
        IDictionary map => 1 + map.Values.Cast<object?>().Sum(Values),
        IEnumerable list and not string => 1 + list.Cast<object?>().Sum(Values),
        _ => 1,
    };
}
