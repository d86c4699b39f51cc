using Mizzen.Core.Errors;

namespace Mizzen.Expressions;

/// <summary>
/// An expression could not be evaluated. <see cref="ExceptionType"/> is the class name Spinnaker reports for the same
/// failure (kept in <c>expressionEvaluationSummary</c> so tools written for Orca keep working).
/// </summary>
public class ExpressionException(string message, string exceptionType = ExpressionException.SpelEvaluation, Exception? inner = null)
    : MizzenException(message, inner)
{
    public const string SpelEvaluation = "org.springframework.expression.spel.SpelEvaluationException";
    public const string SpelParse = "org.springframework.expression.spel.SpelParseException";
    public const string HelperFunction = "com.netflix.spinnaker.kork.expressions.SpelHelperFunctionException";
    public const string LimitExceeded = "io.mizzen.expressions.ExpressionLimitExceededException";

    public string ExceptionType { get; } = exceptionType;

    /// <summary>For a missing name: the nearest names that exist at that point.</summary>
    public IReadOnlyList<string>? Suggestions { get; init; }
}

/// <summary>The text is not a valid expression; <see cref="Position"/> is the 0-based offset inside the expression.</summary>
public sealed class ExpressionSyntaxException(string message, int position)
    : ExpressionException(message, SpelParse)
{
    public int Position { get; } = position;
}

/// <summary>A helper function (<c>#stage</c>, <c>#fromUrl</c> ...) failed; functions added by providers throw it too.</summary>
public sealed class ExpressionFunctionException(string message, Exception? inner = null)
    : ExpressionException(message, HelperFunction, inner);

/// <summary>An expression or its result went over a configured bound (<see cref="ExpressionOptions"/>).</summary>
public sealed class ExpressionLimitExceededException(string message)
    : ExpressionException(message, LimitExceeded);
