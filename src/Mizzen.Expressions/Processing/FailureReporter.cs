using Mizzen.Core.Expressions;

namespace Mizzen.Expressions.Processing;

/// <summary>Writes a failure in Orca's summary format, plus the field path and "did you mean" suggestions.</summary>
internal static class FailureReporter
{
    public static void Record(ExpressionEvaluationSummary summary, EvaluationFailure failure, string text, string path, string? fieldKey, TimeProvider clock)
    {
        var key = failure.Key.Length == 0 ? text : failure.Key;
        var where = fieldKey ?? key;
        var hint = failure.Suggestions is { Count: > 0 } s && !(failure.Message?.Contains("did you mean", StringComparison.Ordinal) ?? false)
            ? $"; did you mean '{string.Join("' or '", s)}'?"
            : "";
        var description = failure.IsNotFound
            ? $"Failed to evaluate [{where}] : {key} not found{hint}"
            : $"Failed to evaluate [{where}] {failure.Message?.Replace("$", "", StringComparison.Ordinal)}{hint}";
        var level = failure.IsNotFound ? ExpressionFailure.Info : ExpressionFailure.Error;
        summary.Add(key, new ExpressionFailure(description, level, clock.GetUtcNow().ToUnixTimeMilliseconds(), failure.ExceptionType)
        {
            FieldPath = path.Length == 0 ? null : path,
            Suggestions = failure.Suggestions is { Count: > 0 } ? failure.Suggestions : null,
        });
    }
}
