using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;

namespace Mizzen.Expressions.Tests.Safety;

/// <summary>One evaluation builds at most Mizzen:Expressions:MaxEvaluationBytes, whichever way it builds it.</summary>
public sealed class MemoryBoundsTests
{
    private static readonly JsonObject Root = new() { ["s"] = new string('x', 20_000) };

    private static SpelExpressionEvaluator Evaluator() => TestEvaluators.Create(o =>
    {
        o.MaxEvaluationBytes = 2 * 1024 * 1024;
        o.MaxEvaluationSteps = 10_000_000;
        o.RegexTimeout = TimeSpan.FromMinutes(5); // a busy machine must not turn the memory bound into a regex timeout
    });

    private static ExpressionFailure SingleFailure(SpelExpressionEvaluator evaluator, string expression)
    {
        var result = evaluator.Process(JsonValue.Create("${" + expression + "}"), new ExpressionScope(Root: Root.DeepClone().AsObject()));
        return result.Summary.Failures.ShouldHaveSingleItem().Value.ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("'x'.repeat(1000).toCharArray().![#root.s.substring(1)]")]
    [InlineData("'x'.repeat(1000).toCharArray().![#root.s.toUpperCase()]")]
    [InlineData("'x'.repeat(1000).toCharArray().![#root.s + #this]")]
    [InlineData("'x'.repeat(1000).toCharArray().![#root.s.replace('x', 'y')]")]
    [InlineData("'x'.repeat(1000).toCharArray().![#root.s.replaceAll('x', 'y')]")]
    [InlineData("'x'.repeat(1000).toCharArray().![#toJson(#root.s)]")]
    [InlineData("'x'.repeat(1000).toCharArray().![T(String).valueOf(#root.s).concat('!')]")]
    [InlineData("'x'.repeat(1000).toCharArray().![#root.s.split('q')]")]
    [InlineData("'x'.repeat(1000).toCharArray().![{#root.s.trim() + '', 1}]")]
    public void Strings_built_in_a_projection_stop_at_the_evaluation_memory_bound(string expression)
    {
        using var evaluator = Evaluator();

        var failure = SingleFailure(evaluator, expression);

        failure.ExceptionType.ShouldBe(ExpressionException.LimitExceeded);
        failure.Description.ShouldContain("Mizzen:Expressions:MaxEvaluationBytes");
    }

    [Theory]
    [InlineData("'x'.repeat(2000).toCharArray().![#root]")]
    [InlineData("#toJson('x'.repeat(2000).toCharArray().![#root])")]
    [InlineData("'x'.repeat(2000).toCharArray().![#root].toString()")]
    [InlineData("'' + 'x'.repeat(2000).toCharArray().![#root]")]
    public void A_large_value_referenced_many_times_is_not_written_out_in_full(string expression)
    {
        using var evaluator = Evaluator();

        var failure = SingleFailure(evaluator, expression);

        failure.ExceptionType.ShouldBe(ExpressionException.LimitExceeded);
        failure.Description.ShouldMatch("MaxEvaluationBytes|MaxResultLength");
    }

    [Fact]
    public void A_doubling_chain_of_replace_stops_at_the_length_bound_before_building_the_string()
    {
        using var evaluator = TestEvaluators.Create(o => o.MaxResultLength = 100_000);
        var doubling = "'x'" + string.Concat(Enumerable.Repeat(".replace('x', 'xx')", 40));

        var result = evaluator.Evaluate(doubling, new ExpressionScope(Root: []));

        result.Error.ShouldNotBeNull().ShouldContain("the limit is 100000");
    }

    [Theory]
    [InlineData("'ab'.replace('', #root.s)")]
    [InlineData("'abc'.replaceAll('', #root.s)")]
    [InlineData("'abc'.replaceAll('(.)', #root.s + '$1')")]
    [InlineData("#root.s.concat(#root.s)")]
    [InlineData("T(String).join(#root.s, {1, 2, 3})")]
    public void Replacement_and_concatenation_that_would_pass_the_length_bound_are_refused(string expression)
    {
        using var evaluator = TestEvaluators.Create(o => o.MaxResultLength = 30_000);

        var failure = SingleFailure(evaluator, expression);

        failure.ExceptionType.ShouldBe(ExpressionException.LimitExceeded);
        failure.Description.ShouldContain("30000");
    }

    [Fact]
    public void Many_expressions_each_under_the_bound_cannot_add_up_past_it_in_one_context()
    {
        using var evaluator = Evaluator();
        var context = new JsonObject();
        for (var i = 0; i < 20; i++)
        {
            context[$"field{i}"] = "${'x'.repeat(200000)}";
        }

        var result = evaluator.Process(context, new ExpressionScope(Root: []));

        var kept = result.Value!.AsObject().Count(p => p.Value!.GetValue<string>().Length == 200_000);
        kept.ShouldBeInRange(4, 6); // 2 MiB holds five strings of 400 kB
        var failures = result.Summary.Failures.SelectMany(f => f.Value).ToList();
        failures.Count.ShouldBe(20 - kept);
        failures.ShouldAllBe(f => f.ExceptionType == ExpressionException.LimitExceeded && f.Description.Contains("evaluated values of this context"));
    }

    [Fact]
    public void Ordinary_expressions_stay_far_below_the_default_bound()
    {
        using var evaluator = TestEvaluators.Create();
        var root = new JsonObject
        {
            ["items"] = new JsonArray(Enumerable.Range(0, 1000).Select(i => (JsonNode?)new JsonObject { ["name"] = $"item-{i}", ["n"] = i }).ToArray()),
        };

        var result = evaluator.Process(
            JsonValue.Create("${#toJson(items.?[n % 2 == 0].![{name: name.toUpperCase(), twice: n * 2}])}"),
            new ExpressionScope(Root: root));

        result.Summary.HasFailures.ShouldBeFalse();
        JsonNode.Parse(result.Value!.GetValue<string>())!.AsArray().Count.ShouldBe(500);
    }
}
