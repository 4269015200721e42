using System.Text.Json;
using System.Text.Json.Nodes;
using Pulumi;

namespace OS2BorgerPC.Deploy.StackReferences;

/// <summary>
/// One output of another stack, read through a StackReference and waited for: what the reading program registers depends on
/// it. A StackReference is a read of that stack's last outputs, known in previews as in updates. Both the tenant program
/// (its platform's facts) and the platform program (its foundation's outputs) compile this file: one translation, no Pulumi
/// library shared between the programs.
/// </summary>
internal static class StackOutput
{
    /// <returns>The output as JSON, or null where the stack does not export it.</returns>
    public static JsonNode? Read(StackReference stack, string outputName)
    {
        // Task.Run: the wait must not hold a synchronization context the reference's own continuations need.
        var value = Task.Run(() => stack.GetValueAsync(outputName)).GetAwaiter().GetResult();
        return value switch
        {
            null => null,
            // A stack may export a structured output as JSON text or as an object; both parse the same.
            string text => JsonNode.Parse(text),
            _ => JsonSerializer.SerializeToNode(value),
        };
    }
}
