using OS2BorgerPC.Deploy.PlatformDecisions.Naming;
using Pulumi;

namespace OS2BorgerPC.Deploy.PlatformProgram.Azure;

public static class AzureTags
{
    /// <summary>The platform's tags (decided in <see cref="PlatformNames"/>) as a resource input.</summary>
    public static InputMap<string> For(PlatformNames names)
    {
        var tags = new InputMap<string>();
        foreach (var (key, value) in names.Tags)
        {
            tags.Add(key, value);
        }
        return tags;
    }
}
