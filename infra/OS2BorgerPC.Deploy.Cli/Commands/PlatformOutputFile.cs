using System.Text.Json;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary>A platform stack's <c>tenantPlatform</c> output saved as JSON (the <c>--platform</c> option), read and checked like a live one.</summary>
public static class PlatformOutputFile
{
    public static (PlatformFacts? Facts, IReadOnlyList<Problem> Problems) Read(FileInfo file)
    {
        JsonNode? output;
        try
        {
            output = JsonNode.Parse(File.ReadAllText(file.FullName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return (null, [new Problem(file.FullName, "--platform", $"cannot be read: {e.Message}",
                "Write it with: pulumi stack output tenantPlatform --json --stack <platform stack> > platform.json")]);
        }
        return PlatformFacts.Parse("--platform", file.FullName, output);
    }
}
