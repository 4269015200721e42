using System.Reflection;
using System.Text.Json;
using Pulumi;
using Pulumi.Utilities;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>A stack's outputs as the engine would record them.</summary>
public static class StackOutputs
{
    /// <summary>Every output of <paramref name="stack"/> (its [Output] properties), by output name, in JSON.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> Of(Stack stack)
    {
        var outputs = new Dictionary<string, string>();
        foreach (var property in stack.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<OutputAttribute>() is not { } attribute)
            {
                continue;
            }
            var read = typeof(OutputUtilities).GetMethod(nameof(OutputUtilities.GetValueAsync))!.MakeGenericMethod(property.PropertyType.GetGenericArguments()[0]);
            var task = (Task)read.Invoke(null, [property.GetValue(stack)])!;
            await task;
            outputs[attribute.Name ?? property.Name] = JsonSerializer.Serialize(task.GetType().GetProperty("Result")!.GetValue(task));
        }
        return outputs;
    }
}
