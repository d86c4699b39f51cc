using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;

namespace Mizzen.Expressions.Tests.Safety;

/// <summary>What <c>#readYaml</c>, <c>#readAllYaml</c> and <c>#readJson</c> may build (Mizzen:Expressions:Documents:*).</summary>
public sealed class DocumentBoundsTests
{
    private static readonly ExpressionScope Empty = new(Root: []);

    /// <summary>"Billion laughs": nine levels of nine aliases each would expand to 9^9 values (the 309-character report of issue 8).</summary>
    private static string AliasBomb(int levels = 9, int width = 9)
    {
        var names = Enumerable.Range(0, levels).Select(i => ((char)('a' + i)).ToString()).ToList();
        var parts = new List<string> { $"{names[0]}: &{names[0]} [{string.Join(",", Enumerable.Repeat("lol", width))}]" };
        for (var i = 1; i < levels; i++)
        {
            parts.Add($"{names[i]}: &{names[i]} [{string.Join(",", Enumerable.Repeat("*" + names[i - 1], width))}]");
        }

        return "{" + string.Join(", ", parts) + "}";
    }

    private static ExpressionFailure SingleFailure(SpelExpressionEvaluator evaluator, string expression, JsonObject? root = null)
    {
        var result = evaluator.Process(JsonValue.Create("${" + expression + "}"), new ExpressionScope(Root: root ?? []));
        return result.Summary.Failures.ShouldHaveSingleItem().Value.ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("#readAllYaml(doc)")]
    [InlineData("#readYaml(doc)")]
    [InlineData("#toJson(#readYaml(doc))")]
    [InlineData("#readYaml(doc).toString().length()")]
    public void An_alias_bomb_fails_as_a_limit_naming_the_node_bound(string expression)
    {
        using var evaluator = TestEvaluators.Create();

        var failure = SingleFailure(evaluator, expression, new JsonObject { ["doc"] = AliasBomb() });

        failure.ExceptionType.ShouldBe(ExpressionException.LimitExceeded);
        failure.Description.ShouldContain("Mizzen:Expressions:Documents:MaxNodes");
    }

    [Fact]
    public void The_alias_bomb_typed_into_the_evaluate_api_fails_with_a_message()
    {
        using var evaluator = TestEvaluators.Create();

        var result = evaluator.Evaluate($"#readAllYaml('{AliasBomb()}')", Empty);

        result.Succeeded.ShouldBeFalse();
        result.Error.ShouldNotBeNull().ShouldContain("more than 100000 values");
    }

    [Fact]
    public void Many_aliases_to_small_lists_fail_on_the_alias_bound()
    {
        using var evaluator = TestEvaluators.Create(o => o.Documents.MaxAliases = 10);
        var yaml = "base: &b [1, 2]\nitems: [" + string.Join(", ", Enumerable.Repeat("*b", 11)) + "]";

        var failure = SingleFailure(evaluator, "#readYaml(doc)", new JsonObject { ["doc"] = yaml });

        failure.ExceptionType.ShouldBe(ExpressionException.LimitExceeded);
        failure.Description.ShouldContain("Mizzen:Expressions:Documents:MaxAliases");
    }

    [Fact]
    public void An_alias_bomb_split_over_documents_still_counts_every_document()
    {
        using var evaluator = TestEvaluators.Create(o => o.Documents.MaxNodes = 5_000);
        var document = AliasBomb(levels: 4, width: 9); // about 820 values each
        var stream = string.Join("\n---\n", Enumerable.Repeat(document, 10));

        var failure = SingleFailure(evaluator, "#readAllYaml(doc)", new JsonObject { ["doc"] = stream });

        failure.Description.ShouldContain("MaxNodes");
    }

    [Fact]
    public void Deeply_nested_yaml_fails_on_the_depth_bound_without_exhausting_the_stack()
    {
        using var evaluator = TestEvaluators.Create();
        var yaml = new string('[', 100_000) + new string(']', 100_000);

        var failure = SingleFailure(evaluator, "#readYaml(doc)", new JsonObject { ["doc"] = yaml });

        failure.Description.ShouldContain("Mizzen:Expressions:Documents:MaxDepth");
    }

    [Fact]
    public void Deeply_nested_json_fails_on_the_depth_bound()
    {
        using var evaluator = TestEvaluators.Create(o => o.Documents.MaxDepth = 20);
        var json = new string('[', 21) + new string(']', 21);

        var failure = SingleFailure(evaluator, "#readJson(doc)", new JsonObject { ["doc"] = json });

        failure.ExceptionType.ShouldBe(ExpressionException.LimitExceeded);
        failure.Description.ShouldContain("nested more than 20 levels");
    }

    [Fact]
    public void Json_with_too_many_values_fails_before_it_is_built()
    {
        using var evaluator = TestEvaluators.Create(o => o.Documents.MaxNodes = 1_000);
        var json = "[" + string.Join(",", Enumerable.Repeat("0", 1_001)) + "]";

        var failure = SingleFailure(evaluator, "#readJson(doc).size()", new JsonObject { ["doc"] = json });

        failure.Description.ShouldContain("Mizzen:Expressions:Documents:MaxNodes");
    }

    [Fact]
    public void A_document_longer_than_the_bound_is_refused_unread()
    {
        using var evaluator = TestEvaluators.Create(o => o.Documents.MaxLength = 100);

        var failure = SingleFailure(evaluator, "#readYaml(doc)", new JsonObject { ["doc"] = "a: " + new string('x', 200) });

        failure.Description.ShouldContain("Mizzen:Expressions:Documents:MaxLength");
    }

    [Fact]
    public void Ordinary_yaml_with_a_few_aliases_still_works()
    {
        using var evaluator = TestEvaluators.Create();
        const string Yaml = "defaults: &defaults\n  cpu: 1\n  memory: 512\n  regions: [us-east-1, eu-west-1]\nprod: *defaults\nstaging: *defaults\nname: &n web\nalias: *n\n";
        var root = new JsonObject { ["doc"] = Yaml };

        evaluator.Process("${#readYaml(doc).prod.cpu + #readYaml(doc).staging.memory}", root)!.GetValue<int>().ShouldBe(513);
        evaluator.Process("${#readYaml(doc).staging.regions[1]}", root)!.GetValue<string>().ShouldBe("eu-west-1");
        evaluator.Process("${#readYaml(doc).alias}", root)!.GetValue<string>().ShouldBe("web");
        evaluator.Process("${#toJson(#readYaml(doc).prod)}", root)!.GetValue<string>()
            .ShouldBe("""{"cpu":1,"memory":512,"regions":["us-east-1","eu-west-1"]}""");
    }

    [Fact]
    public void An_alias_to_an_anchor_that_is_not_defined_before_it_is_a_clear_error()
    {
        using var evaluator = TestEvaluators.Create();

        var failure = SingleFailure(evaluator, "#readYaml(doc)", new JsonObject { ["doc"] = "a: &a [1, *a]" });

        failure.ExceptionType.ShouldBe(ExpressionException.HelperFunction);
        failure.Description.ShouldContain("alias *a is inside the value it names");
    }

    [Fact]
    public void A_redefined_anchor_is_in_force_from_where_it_is_written()
    {
        using var evaluator = TestEvaluators.Create();
        const string Yaml = "first: &a {n: 1}\nouter: &a\n  inner: &a {n: 2}\n  same: *a\nafter: *a\nlast: &a {n: 3}\nend: *a\n";
        var root = new JsonObject { ["doc"] = Yaml };

        evaluator.Process("${#toJson(#readYaml(doc))}", root)!.GetValue<string>().ShouldBe(
            """{"first":{"n":1},"outer":{"inner":{"n":2},"same":{"n":2}},"after":{"n":2},"last":{"n":3},"end":{"n":3}}""");
    }

    [Fact]
    public void An_alias_to_an_unknown_anchor_is_a_clear_error()
    {
        using var evaluator = TestEvaluators.Create();

        var failure = SingleFailure(evaluator, "#readYaml(doc)", new JsonObject { ["doc"] = "a: *nowhere" });

        failure.Description.ShouldContain("alias *nowhere names no anchor defined before it");
    }
}
