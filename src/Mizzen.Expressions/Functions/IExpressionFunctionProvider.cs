using System.Text.Json.Nodes;
using Mizzen.Core.Model;

namespace Mizzen.Expressions.Functions;

/// <summary>
/// Adds helper functions to the expression language (Spinnaker's <c>ExpressionFunctionProvider</c>). Register an
/// implementation in DI; its functions are callable as <c>#name(...)</c>, or <c>#namespace_name(...)</c> when
/// <see cref="Namespace"/> is set. A built-in function of the same name cannot be replaced.
/// </summary>
public interface IExpressionFunctionProvider
{
    /// <summary>Optional prefix: functions are registered as <c>namespace_name</c>.</summary>
    string? Namespace { get; }

    IEnumerable<ExpressionFunctionDefinition> Functions { get; }
}

/// <summary>One function: its name and body. Throw <see cref="ExpressionFunctionException"/> for a failure the user can act on.</summary>
public sealed record ExpressionFunctionDefinition(string Name, Func<ExpressionFunctionCall, JsonNode?> Invoke)
{
    public string? Description { get; init; }
}

/// <summary>What a provider's function receives: its arguments as JSON, and the execution and stage being evaluated.</summary>
public sealed class ExpressionFunctionCall(IReadOnlyList<JsonNode?> arguments, PipelineExecution? execution, StageExecution? currentStage, string? user)
{
    public IReadOnlyList<JsonNode?> Arguments { get; } = arguments;

    public PipelineExecution? Execution { get; } = execution;

    public StageExecution? CurrentStage { get; } = currentStage;

    public string? User { get; } = user;
}
