using Mizzen.Expressions.Functions;
using Mizzen.Expressions.Safety;

namespace Mizzen.Expressions.Evaluation;

/// <summary>What stays the same across evaluations: options, clock, functions, regex cache, URL fetcher and lookups.</summary>
internal sealed class EvaluationEnvironment(
    ExpressionOptions options,
    TimeProvider clock,
    ExpressionFunctionRegistry functions,
    RestrictedUrlFetcher urlFetcher,
    ExpressionLookups lookups)
{
    public ExpressionOptions Options { get; } = options;

    public TimeProvider Clock { get; } = clock;

    public ExpressionFunctionRegistry Functions { get; } = functions;

    public RegexCache Regexes { get; } = new(options.RegexTimeout);

    public RestrictedUrlFetcher UrlFetcher { get; } = urlFetcher;

    public ExpressionLookups Lookups { get; } = lookups;
}
