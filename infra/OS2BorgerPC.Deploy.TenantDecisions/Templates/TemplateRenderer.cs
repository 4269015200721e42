using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Scriban;
using Scriban.Runtime;

namespace OS2BorgerPC.Deploy.TenantDecisions.Templates;

/// <summary>
/// Renders the Scriban templates of the repository's templates/ folder (embedded in this assembly). Each template is
/// read and parsed once per process (a fleet's programs and the CLI render the same few templates many times); a
/// parsed template renders concurrently, each render with its own context.
/// </summary>
public static class TemplateRenderer
{
    private static readonly JsonSerializerOptions YamlStrings = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly ConcurrentDictionary<string, Lazy<string>> Sources = new();
    private static readonly ConcurrentDictionary<string, Lazy<Template>> Parsed = new();

    /// <param name="name">File name in templates/, e.g. <c>tenant-stack.yaml.scriban</c>.</param>
    /// <param name="model">Its members become snake_case template variables.</param>
    /// <param name="functions">Extra functions for the template.</param>
    public static string Render(string name, object model, ScriptObject? functions = null)
    {
        var template = Parsed.GetOrAdd(name, key => new Lazy<Template>(() => Parse(key))).Value;
        var globals = new ScriptObject();
        globals.Import(model);
        // A double-quoted YAML string (JSON's string syntax is valid YAML).
        globals.Import("yaml", new Func<string, string>(text => JsonSerializer.Serialize(text, YamlStrings)));
        if (functions is not null)
        {
            globals.Import(functions);
        }
        var context = new TemplateContext { StrictVariables = true, MemberRenamer = StandardMemberRenamer.Default };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    public static string Source(string name) => Sources.GetOrAdd(name, key => new Lazy<string>(() => Read(key))).Value;

    private static Template Parse(string name)
    {
        var template = Template.Parse(Source(name), name);
        return template.HasErrors
            ? throw new InvalidOperationException($"templates/{name} does not parse: {string.Join("; ", template.Messages)}")
            : template;
    }

    private static string Read(string name)
    {
        using var stream = typeof(TemplateRenderer).Assembly.GetManifestResourceStream($"templates/{name}")
            ?? throw new InvalidOperationException($"templates/{name} is not embedded in TenantDecisions.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
