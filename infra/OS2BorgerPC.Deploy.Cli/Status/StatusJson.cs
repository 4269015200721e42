using System.Text.Json;
using System.Text.Json.Serialization;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;

namespace OS2BorgerPC.Deploy.Cli.Status;

/// <summary>
/// <c>fleet status --json</c>: the report for monitoring. A known fact is its value; an unknown one is
/// <c>{"unknown": "why"}</c>; each tenant lists what needs attention.
/// </summary>
public static class StatusJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new ObservedConverter() },
    };

    public static string Serialize(FleetStatusReport report) => JsonSerializer.Serialize(new
    {
        report.GeneratedAt,
        report.MainCommit,
        report.Thresholds,
        report.NeedsAttention,
        Tenants = report.Tenants.Select(t => new
        {
            t.Observation.Tenant,
            t.Observation.Url,
            t.Observation.DesiredVersion,
            t.Observation.DeployedVersion,
            t.Observation.DeployedCommit,
            t.Observation.LastBackup,
            BackupAgeHours = t.BackupAgeHours(report.GeneratedAt) is { } hours ? Math.Round(hours, 1) : (double?)null,
            t.Observation.CertificateNotAfter,
            t.Observation.Pods,
            t.Observation.Drift,
            t.Observation.Drill,
            Ring = RolloutPlan.Name(t.Observation.Ring),
            t.NeedsAttention,
            t.Attention,
        }),
    }, Options);

    private sealed class ObservedConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Observed<>);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

        private sealed class Converter<T> : JsonConverter<Observed<T>>
        {
            public override Observed<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                throw new NotSupportedException("fleet status only writes its JSON.");

            public override void Write(Utf8JsonWriter writer, Observed<T> value, JsonSerializerOptions options)
            {
                if (value.IsKnown)
                {
                    JsonSerializer.Serialize(writer, value.Value, options);
                    return;
                }
                writer.WriteStartObject();
                writer.WriteString("unknown", value.Why);
                writer.WriteEndObject();
            }
        }
    }
}
