using System.Text.Json.Nodes;
using Mizzen.Core.Model;

namespace Mizzen.Core.Expressions;

/// <summary>
/// The seam between the engine and the expression language (<c>${ ... }</c>, Spinnaker's SpEL dialect).
/// The engine depends on this interface only; <c>Mizzen.Expressions</c> implements it.
/// </summary>
public interface IExpressionEvaluator
{
    /// <summary>
    /// Returns a deep copy of <paramref name="value"/> in which every string containing <c>${</c> is evaluated
    /// (map keys too). A string that is exactly one expression keeps the result's type. A failed expression keeps
    /// its original text and adds an entry to the summary. <paramref name="value"/> is never modified.
    /// </summary>
    ExpressionProcessingResult Process(JsonNode? value, ExpressionScope scope);

    /// <summary>Evaluates one bare expression (no <c>${}</c>), as <c>stageEnabled</c> and preconditions use.</summary>
    ExpressionValueResult Evaluate(string expression, ExpressionScope scope);

    /// <summary>Syntax check of every <c>${ }</c> in <paramref name="text"/>, without evaluating anything.</summary>
    IReadOnlyList<ExpressionSyntaxError> CheckSyntax(string text);
}

/// <summary>
/// What an expression can see.
/// <list type="bullet">
/// <item><see cref="Stage"/> set: Orca's stage root: the stage's own context (or <see cref="Root"/> when given, e.g. the
/// context being processed), then ancestors' outputs, plus <c>execution</c>, <c>trigger</c>, <c>parameters</c>, <c>scmInfo</c>.</item>
/// <item>Only <see cref="Execution"/>: trigger-time root <c>{execution, trigger, parameters}</c>.</item>
/// <item>Only <see cref="Root"/>: the object itself is the root (offline evaluation); when it has an <c>execution</c> key,
/// execution-aware helpers use it.</item>
/// </list>
/// <see cref="Variables"/> are looked up before everything else (evaluateVariables uses it so later variables see earlier ones).
/// </summary>
public sealed record ExpressionScope(
    PipelineExecution? Execution = null,
    StageExecution? Stage = null,
    JsonObject? Root = null,
    JsonObject? Variables = null,
    string? User = null)
{
    /// <summary>When true (the default) a missing map key reads as null; false makes it an error, as at trigger time.</summary>
    public bool AllowUnknownKeys { get; init; } = true;
}

/// <summary>The processed value and what failed on the way.</summary>
public sealed record ExpressionProcessingResult(JsonNode? Value, ExpressionEvaluationSummary Summary);

/// <summary>A bare expression's value, or why it has none.</summary>
public sealed record ExpressionValueResult(JsonNode? Value, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>A syntax error: <see cref="Column"/> is 1-based inside the whole text given to <see cref="IExpressionEvaluator.CheckSyntax"/>.</summary>
public sealed record ExpressionSyntaxError(string Expression, int Column, string Message)
{
    public override string ToString() => $"column {Column}: {Message} in '{Expression}'";
}
