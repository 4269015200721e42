using System.Collections.Frozen;

namespace OS2BorgerPC.Deploy.TenantDecisions.Municipalities;

/// <summary>One of Denmark's 98 municipalities, by its official municipality code.</summary>
public sealed record Municipality(int Code, string Name, string Slug, string OfficialName);

/// <summary>The register of Denmark's municipalities, shipped with the kit (municipalities.csv).</summary>
public static class MunicipalityRegister
{
    private static readonly Lazy<FrozenDictionary<int, Municipality>> ByCode = new(Load);

    public static IReadOnlyCollection<Municipality> All => ByCode.Value.Values;

    public static Municipality? Find(int code) => ByCode.Value.GetValueOrDefault(code);

    private static FrozenDictionary<int, Municipality> Load()
    {
        using var stream = typeof(MunicipalityRegister).Assembly.GetManifestResourceStream("municipalities.csv")
            ?? throw new InvalidOperationException("municipalities.csv is not embedded in TenantDecisions.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Select(line => line.Split(','))
            .Select(f => new Municipality(int.Parse(f[0]), f[1], f[2], f[3]))
            .OrderBy(m => m.Code)
            .ToFrozenDictionary(m => m.Code);
    }
}
