using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mizzen.Cli;

/// <summary>Reads files named on the command line; a missing or malformed file is a usage error (exit 2).</summary>
internal static class InputFiles
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

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

    public static JsonNode? ParseJson(string text, string path)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: Lenient);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            throw CliException.Usage($"{path} is not valid JSON{where}");
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(string path, CancellationToken cancellationToken) =>
        ParseJson(await ReadTextAsync(path, cancellationToken), path) as JsonObject
        ?? throw CliException.Usage($"{path} must hold a JSON object");

    public static async Task<JsonNode?> ReadJsonAsync(string path, CancellationToken cancellationToken) =>
        ParseJson(await ReadTextAsync(path, cancellationToken), path);
}
