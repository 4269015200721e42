namespace OS2BorgerPC.Deploy.Cli;

/// <summary>A JSON file an option names (relative to where the CLI runs), read and parsed, or the error to show.</summary>
internal static class InputFile
{
    /// <param name="option">The option, for the error, e.g. <c>--deployed</c>.</param>
    /// <param name="what">What the file should hold, for the error when it is missing.</param>
    /// <param name="parse">Parses the text; its error names the file.</param>
    public static (T? Value, string? Error) Read<T>(string path, string option, string what, Func<string, string, (T?, string?)> parse)
        where T : class =>
        File.Exists(path)
            ? parse(File.ReadAllText(path), path)
            : (null, $"{option}: {path} does not exist. Give {what}.");
}
