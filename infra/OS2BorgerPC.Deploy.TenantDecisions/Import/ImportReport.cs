using System.Globalization;

namespace OS2BorgerPC.Deploy.TenantDecisions.Import;

/// <summary>A table's rows after the import; null when the dump did not have the table.</summary>
public sealed record TableRows(string Table, long? Rows);

/// <summary>
/// What arrived, from the lines templates/import.sh prints: <c>report: table &lt;name&gt; &lt;rows|absent&gt;</c>
/// and <c>report: media-files &lt;n&gt;</c>; <see cref="Refused"/> when it refused (and changed nothing).
/// </summary>
public sealed record ImportReport(IReadOnlyList<TableRows> Tables, int? MediaFiles, string? Refused)
{
    public static ImportReport Parse(string log)
    {
        var tables = new List<TableRows>();
        int? mediaFiles = null;
        string? refused = null;
        foreach (var line in log.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            var words = line.Split(' ');
            if (words is ["report:", "table", var table, var rows])
            {
                tables.Add(new TableRows(table, long.TryParse(rows, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null));
            }
            else if (words is ["report:", "media-files", var count] && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var files))
            {
                mediaFiles = files;
            }
            else if (line.StartsWith("refused: ", StringComparison.Ordinal))
            {
                refused = line["refused: ".Length..];
            }
        }
        return new ImportReport(tables, mediaFiles, refused);
    }
}
