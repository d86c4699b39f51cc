using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Cli;

/// <summary>
/// Reads files named on the command line (<c>-</c> is stdin). JSON is read as Spinnaker reads it (<see cref="JsonInput"/>):
/// a repeated key takes its last value and is reported on stderr as a warning; broken JSON is a usage error (exit 2) with
/// one 1-based line and column, the line's text and a caret.
/// </summary>
internal static class InputFiles
{
    public static async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return path == "-"
                ? await Console.In.ReadToEndAsync(cancellationToken)
                : await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw CliException.Usage($"cannot read {path}: {e.Message}");
        }
    }

    /// <summary>The JSON in <paramref name="text"/>; each repeated key is written to <paramref name="warnings"/> as one line.</summary>
    public static JsonNode? ParseJson(string text, string path, TextWriter warnings)
    {
        JsonInputResult parsed;
        try
        {
            parsed = JsonInput.Parse(text);
        }
        catch (ValidationException e)
        {
            throw CliException.Usage($"{Name(path)}: {e.Problems[0]}");
        }

        foreach (var warning in parsed.Warnings)
        {
            warnings.WriteLine($"mizzen: {Name(path)}: {warning}");
        }

        return parsed.Root;
    }

    public static async Task<JsonObject> ReadObjectAsync(string path, TextWriter warnings, CancellationToken cancellationToken) =>
        ParseJson(await ReadTextAsync(path, cancellationToken), path, warnings) as JsonObject
        ?? throw CliException.Usage($"{Name(path)} must hold a JSON object");

    public static async Task<JsonNode?> ReadJsonAsync(string path, TextWriter warnings, CancellationToken cancellationToken) =>
        ParseJson(await ReadTextAsync(path, cancellationToken), path, warnings);

    /// <summary>
    /// The file's JSON written back as text with each repeated key resolved (last value wins), for code that parses it
    /// again itself (the canary judge): what it reads is what the warnings describe.
    /// </summary>
    public static async Task<string> ReadJsonTextAsync(string path, TextWriter warnings, CancellationToken cancellationToken) =>
        ParseJson(await ReadTextAsync(path, cancellationToken), path, warnings)?.ToJsonString(MizzenJson.Options) ?? "null";

    private static string Name(string path) => path == "-" ? "stdin" : path;
}
