using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Mizzen.Core.Expressions;
using Mizzen.Expressions.Tests.Compat;

namespace Mizzen.Expressions.Tests.Properties;

/// <summary>
/// FsCheck properties over expression-like strings and mutations of the compat expressions (generators in
/// <see cref="ExpressionArbitraries"/>): whatever the input, Process/Evaluate/CheckSyntax return results; no exception
/// escapes. Seeds are fixed (<c>Replay</c>) so every run checks the same 4,000 inputs; a failure is shrunk and names the input.
/// </summary>
public sealed class RandomExpressionTests : IDisposable
{
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create(o =>
    {
        o.MaxEvaluationSteps = 5_000;
        o.Url.Enabled = false;
    });

    private readonly ExpressionScope scope = new(Root: CompatFile.Context("basic"));

    [Property(MaxTest = 4000, Replay = "(20261102,314159)", Arbitrary = [typeof(ExpressionArbitraries)])]
    public void Random_expression_like_strings_never_crash_the_parser_or_evaluator(TokenExpression input) =>
        ShouldOnlyReturnResults(input.Text);

    [Property(MaxTest = 4000, Replay = "(314159,20261103)", Arbitrary = [typeof(ExpressionArbitraries)])]
    public void Random_mutations_of_the_compat_expressions_never_crash_the_parser_or_evaluator(MutatedExpression input) =>
        ShouldOnlyReturnResults(input.Text);

    private void ShouldOnlyReturnResults(string text)
    {
        try
        {
            evaluator.CheckSyntax(text);
            var processed = evaluator.Process(JsonValue.Create(text), scope);
            processed.Summary.ShouldNotBeNull();
            var inner = text.StartsWith("${", StringComparison.Ordinal) ? text[2..].TrimEnd('}') : text;
            evaluator.Evaluate(inner, scope);
        }
        catch (Exception e)
        {
            throw new ShouldAssertException($"input {text} threw {e.GetType().Name}: {e.Message}", e);
        }
    }

    public void Dispose() => evaluator.Dispose();
}
