using System.Text.Json.Nodes;

namespace Mizzen.Core.Expressions;

/// <summary>
/// Orca's <c>expressionEvaluationSummary</c>: per expression (text without <c>${}</c>) the failures seen, plus counts.
/// Stored under <c>context.expressionEvaluationSummary</c> when <see cref="FailureCount"/> &gt; 0.
/// </summary>
public sealed class ExpressionEvaluationSummary
{
    private readonly Dictionary<string, List<ExpressionFailure>> failures = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, List<ExpressionFailure>> Failures => failures;

    public int TotalEvaluated { get; private set; }

    public int FailureCount { get; private set; }

    public bool HasFailures => FailureCount > 0;

    public bool HasErrors => failures.Values.Any(list => list.Exists(f => f.Level == ExpressionFailure.Error));

    public void Evaluated() => TotalEvaluated++;

    public void Add(string expression, ExpressionFailure failure)
    {
        if (!failures.TryGetValue(expression, out var list))
        {
            failures[expression] = list = [];
        }

        if (!list.Exists(f => f.Description == failure.Description && f.Level == failure.Level))
        {
            list.Add(failure);
        }

        FailureCount++;
    }

    /// <summary>Every failure description, in order: what Orca appends to <c>context.exception.details.errors</c>.</summary>
    public IEnumerable<string> Descriptions() => failures.Values.SelectMany(list => list.Select(f => f.Description));

    /// <summary>The wire shape: <c>{"expr": [{description, level, timestamp, exceptionType, ...}]}</c>.</summary>
    public JsonObject ToJson()
    {
        var result = new JsonObject();
        foreach (var (expression, list) in failures)
        {
            var entries = new JsonArray();
            foreach (var failure in list)
            {
                entries.Add(failure.ToJson());
            }

            result[expression] = entries;
        }

        return result;
    }
}

/// <summary>One failure: <see cref="Level"/> is <c>INFO</c> (a name was not found) or <c>ERROR</c>.</summary>
public sealed record ExpressionFailure(string Description, string Level, long Timestamp, string ExceptionType)
{
    public const string Info = "INFO";
    public const string Error = "ERROR";

    /// <summary>The JSON path of the field that held the expression, e.g. <c>clusters[0].account</c>.</summary>
    public string? FieldPath { get; init; }

    /// <summary>For a missing name: the nearest names that exist ("did you mean parameters.env?").</summary>
    public IReadOnlyList<string>? Suggestions { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["description"] = Description,
            ["level"] = Level,
            ["timestamp"] = Timestamp,
            ["exceptionType"] = ExceptionType,
        };
        if (FieldPath is not null)
        {
            json["fieldPath"] = FieldPath;
        }

        if (Suggestions is { Count: > 0 })
        {
            json["suggestions"] = new JsonArray(Suggestions.Select(s => (JsonNode?)s).ToArray());
        }

        return json;
    }
}
