using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Server.Errors;

/// <summary>Reads a JSON body with errors that say where the JSON is broken.</summary>
public static class RequestBody
{
    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>The body as a JSON object; an empty body is an empty object when <paramref name="emptyIsEmptyObject"/>.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken, bool emptyIsEmptyObject = false)
    {
        var text = await ReadTextAsync(request, cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return emptyIsEmptyObject ? [] : throw new ValidationException("body", "a JSON object is required");
        }

        // A repeated key takes its last value (as Spinnaker's Jackson does); broken JSON names its line and column.
        return JsonInput.ParseObject(text, "the request body").Root;
    }
}
