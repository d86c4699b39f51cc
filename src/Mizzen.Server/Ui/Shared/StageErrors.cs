using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Server.Ui.Shared;

/// <summary>A stage's failure in words: the stage context's <c>exception.details</c> (error and errors), then its tasks' exception details.</summary>
public static class StageErrors
{
    public static IReadOnlyList<string> Of(StageExecution stage)
    {
        var lines = new List<string>();
        Add(stage.Context["exception"] as JsonObject, lines);
        foreach (var task in stage.Tasks)
        {
            Add(task.TaskExceptionDetails, lines);
        }

        return lines.Distinct().ToList();
    }

    private static void Add(JsonObject? exception, List<string> lines)
    {
        if (exception?["details"] is not JsonObject details)
        {
            return;
        }

        var errors = details["errors"] is JsonArray list ? list.Select(e => e.AsString()).OfType<string>().ToList() : [];
        if (details["error"].AsString() is { Length: > 0 } error)
        {
            lines.Add(errors.Count == 0 ? error : $"{error}: {string.Join("; ", errors)}");
        }
        else
        {
            lines.AddRange(errors);
        }
    }
}
