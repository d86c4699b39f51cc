using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Expressions.Ast;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Functions;
using Mizzen.Expressions.Parsing;
using Mizzen.Expressions.Processing;
using Mizzen.Expressions.Safety;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions;

/// <summary>
/// Spinnaker's <c>${ }</c> expression language (Spring SpEL plus Orca's helper functions), interpreted over JSON values:
/// no reflection, only allow-listed types, bounded in depth, steps, time and output size. Thread-safe; parsed
/// expressions are cached. Register it with <see cref="ExpressionServiceCollectionExtensions.AddMizzenExpressions"/>.
/// </summary>
public sealed class SpelExpressionEvaluator : IExpressionEvaluator, IDisposable
{
    private readonly EvaluationEnvironment environment;
    private readonly ParsedExpressionCache<ParsedTemplate> templates;
    private readonly ParsedExpressionCache<ParsedBareExpression> bareExpressions;

    public SpelExpressionEvaluator(
        ExpressionOptions options,
        TimeProvider timeProvider,
        IEnumerable<IExpressionFunctionProvider>? functionProviders = null,
        IPipelineConfigLookup? pipelineConfigs = null,
        IApplicationLookup? applications = null,
        ICanaryConfigLookup? canaryConfigs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        environment = new EvaluationEnvironment(
            options,
            timeProvider,
            new ExpressionFunctionRegistry(functionProviders ?? []),
            new RestrictedUrlFetcher(options.Url, timeProvider),
            new ExpressionLookups(pipelineConfigs, applications, canaryConfigs));
        templates = new ParsedExpressionCache<ParsedTemplate>(options.ParsedExpressionCacheSize, text => TemplateParser.Parse(text, options));
        bareExpressions = new ParsedExpressionCache<ParsedBareExpression>(options.ParsedExpressionCacheSize, ParseBare);
    }

    /// <summary>Names of every registered <c>#function</c> (built-in and from providers).</summary>
    public IEnumerable<string> FunctionNames => environment.Functions.Names;

    internal int CachedExpressionCount => templates.Count;

    public ExpressionProcessingResult Process(JsonNode? value, ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var processor = new ContextProcessor(environment, templates, scope);
        var result = processor.Process(value);
        return new ExpressionProcessingResult(result, processor.Summary);
    }

    public ExpressionValueResult Evaluate(string expression, ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(scope);
        var parsed = bareExpressions.Get(expression);
        if (parsed.Error is { } syntax)
        {
            return new ExpressionValueResult(null, $"column {syntax.Position + 1}: {syntax.Message}");
        }

        try
        {
            var state = new EvaluationState(environment, new RootView(scope), scope.AllowUnknownKeys);
            return new ExpressionValueResult(JsonNodeBuilder.ToNode(parsed.Node!.Evaluate(state), state), null);
        }
        catch (ExpressionException e)
        {
            return new ExpressionValueResult(null, e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException
                                      or InvalidCastException or IndexOutOfRangeException or KeyNotFoundException)
        {
            return new ExpressionValueResult(null, e.Message);
        }
    }

    public IReadOnlyList<ExpressionSyntaxError> CheckSyntax(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return [];
        }

        var parsed = templates.Get(text);
        if (parsed.Error is not { } error)
        {
            return [];
        }

        return [new ExpressionSyntaxError(ExpressionAround(text, error.Position), error.Position + 1, error.Message)];
    }

    private static string ExpressionAround(string text, int position)
    {
        var start = text.LastIndexOf("${", Math.Clamp(position + 1, 0, text.Length - 1), StringComparison.Ordinal);
        return start < 0 ? text : text[start..];
    }

    private ParsedBareExpression ParseBare(string expression)
    {
        try
        {
            if (expression.Length > environment.Options.MaxExpressionLength)
            {
                throw new ExpressionSyntaxException(
                    $"expression is {expression.Length} characters long; the limit is {environment.Options.MaxExpressionLength}", 0);
            }

            return new ParsedBareExpression(ExpressionParser.Parse(expression, environment.Options.MaxNestingDepth), null);
        }
        catch (ExpressionSyntaxException e)
        {
            return new ParsedBareExpression(null, e);
        }
        catch (ExpressionLimitExceededException e)
        {
            return new ParsedBareExpression(null, new ExpressionSyntaxException(e.Message, 0));
        }
    }

    public void Dispose() => environment.UrlFetcher.Dispose();

    private sealed record ParsedBareExpression(ExpressionNode? Node, ExpressionSyntaxException? Error);
}
