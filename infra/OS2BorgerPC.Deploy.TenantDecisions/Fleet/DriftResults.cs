using System.Text.Json;
using System.Text.Json.Serialization;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

/// <summary>
/// The drift workflow's result file: its last verdict per tenant. The format, written by the workflow and read by
/// <c>fleet status --drift</c>:
/// <code>
/// { "tenants": { "aarhus": { "result": "clean", "checkedAt": "2026-03-01T04:40:00Z" },
///                "odense": { "result": "drifted", "checkedAt": "2026-03-01T04:41:00Z", "detail": "2 resources changed" } } }
/// </code>
/// <c>result</c> is <c>clean</c>, <c>drifted</c> or <c>failed</c> (the check did not run to its end); <c>detail</c> is optional.
/// </summary>
public static class DriftResults
{
    public const string DefaultFile = "drift-result.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter<DriftVerdict>(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
    };

    private sealed record FileContent(IReadOnlyDictionary<string, Entry> Tenants);

    private sealed record Entry(DriftVerdict Result, DateTimeOffset CheckedAt, string? Detail = null);

    /// <summary>The verdicts in <paramref name="json"/>, or the problem that kept them from being read.</summary>
    /// <param name="file">The file as messages name it.</param>
    public static (IReadOnlyDictionary<string, DriftResult>? Results, Problem? Problem) Parse(string json, string file)
    {
        try
        {
            var content = JsonSerializer.Deserialize<FileContent>(json, Options);
            if (content?.Tenants is null)
            {
                return (null, Invalid(file, "has no \"tenants\" object"));
            }
            return (content.Tenants.ToDictionary(t => t.Key, t => new DriftResult(t.Value.Result, t.Value.CheckedAt, t.Value.Detail)), null);
        }
        catch (JsonException e)
        {
            return (null, Invalid(file, e.Message));
        }
    }

    private static Problem Invalid(string file, string why) => new(file, "(file)", $"is not a drift result file: {why}.",
        "Let the drift workflow write it, or delete it; its format is in docs/FLEET.md, \"Fleet status\".");
}
