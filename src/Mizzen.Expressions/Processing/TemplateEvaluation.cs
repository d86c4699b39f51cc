using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Parsing;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Processing;

/// <summary>
/// Evaluates one parsed string. A single <c>${ }</c> keeps its result's type; a composite is concatenated as text, an unresolved
/// (null) part staying as its literal <c>${ }</c>. A null single result or any error keeps the original text.
/// </summary>
internal sealed class TemplateEvaluation(EvaluationEnvironment environment, RootView root, bool allowUnknownKeys)
{
    public TemplateOutcome Evaluate(ParsedTemplate template)
    {
        if (template.Error is { } syntax)
        {
            return TemplateOutcome.Failed(new EvaluationFailure(Key(template), syntax.Message, syntax.ExceptionType, IsNotFound: false, null));
        }

        try
        {
            return template.IsSingleExpression ? Single(template) : Composite(template);
        }
        catch (ExpressionException e)
        {
            return TemplateOutcome.Failed(new EvaluationFailure(Key(template), e.Message, e.ExceptionType, IsNotFound: false, e.Suggestions));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException or InvalidCastException
                                      or IndexOutOfRangeException or NullReferenceException or KeyNotFoundException)
        {
            // A gap in this implementation must not crash the engine: it is reported like any other failed expression.
            return TemplateOutcome.Failed(new EvaluationFailure(Key(template), e.Message, ExpressionException.SpelEvaluation, IsNotFound: false, null));
        }
    }

    private TemplateOutcome Single(ParsedTemplate template)
    {
        var state = new EvaluationState(environment, root, allowUnknownKeys);
        var value = template.Parts[0].Node!.Evaluate(state);
        if (value is null)
        {
            return TemplateOutcome.Failed(NotFound(template, state));
        }

        var before = state.BytesCharged;
        var node = JsonNodeBuilder.ToNode(value, state);
        if (node is JsonValue text && text.TryGetValue<string>(out var s))
        {
            state.CheckLength((long)s.Length);
        }

        return new TemplateOutcome(node, Keep: false, Failure: null) { Bytes = state.BytesCharged - before };
    }

    private TemplateOutcome Composite(ParsedTemplate template)
    {
        var builder = new StringBuilder();
        EvaluationFailure? notFound = null;
        var maxLength = environment.Options.MaxResultLength;
        foreach (var part in template.Parts)
        {
            if (part.Node is null)
            {
                builder.Append(part.Text);
                continue;
            }

            var state = new EvaluationState(environment, root, allowUnknownKeys);
            var value = part.Node.Evaluate(state);
            if (value is null)
            {
                notFound ??= NotFound(template, state);
                builder.Append("${").Append(part.Text).Append('}');
            }
            else
            {
                builder.Append(JavaText.ToJavaString(value, state));
            }

            if (builder.Length > maxLength)
            {
                throw new ExpressionLimitExceededException($"expression produced a string of more than {maxLength} characters");
            }
        }

        return new TemplateOutcome(JsonValue.Create(builder.ToString()), Keep: false, notFound) { Bytes = MemoryCost.String(builder.Length) };
    }

    private static EvaluationFailure NotFound(ParsedTemplate template, EvaluationState state)
    {
        var missing = state.LastMissingName;
        return new EvaluationFailure(Key(template), null, ExpressionException.SpelEvaluation, IsNotFound: true, missing?.Suggestions());
    }

    /// <summary>Orca's summary key: the text with each <c>${x}</c> replaced by <c>x</c>.</summary>
    public static string Key(ParsedTemplate template) =>
        template.Parts.Count == 0 ? "" : string.Concat(template.Parts.Select(p => p.Text));
}

/// <summary>The processed value (or keep the original text) and what went wrong, if anything.</summary>
internal sealed record TemplateOutcome(JsonNode? Value, bool Keep, EvaluationFailure? Failure)
{
    /// <summary>The estimated memory the value holds (<see cref="MemoryCost"/>), counted across one context.</summary>
    public long Bytes { get; init; }

    public static TemplateOutcome Failed(EvaluationFailure failure) => new(null, Keep: true, failure);
}

/// <summary>A failed (or unresolved) expression: <see cref="IsNotFound"/> is Orca's INFO "not found", anything else an ERROR.</summary>
internal sealed record EvaluationFailure(string Key, string? Message, string ExceptionType, bool IsNotFound, IReadOnlyList<string>? Suggestions);
