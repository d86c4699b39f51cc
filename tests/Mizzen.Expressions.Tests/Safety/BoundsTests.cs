using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Expressions;

namespace Mizzen.Expressions.Tests.Safety;

public sealed class BoundsTests
{
    private static readonly ExpressionScope Empty = new(Root: []);

    [Fact]
    public void Deeply_nested_expression_is_refused_with_a_clear_error()
    {
        using var evaluator = TestEvaluators.Create(o => o.MaxNestingDepth = 50);
        var text = "${" + new string('(', 200) + "1" + new string(')', 200) + "}";

        var errors = evaluator.CheckSyntax(text);

        errors.Single().Message.ShouldContain("nested more than 50 levels");
    }

    [Fact]
    public void Expression_longer_than_the_limit_is_refused()
    {
        using var evaluator = TestEvaluators.Create(o => o.MaxExpressionLength = 100);
        var text = "${" + string.Join(" + ", Enumerable.Repeat("1", 100)) + "}";

        evaluator.CheckSyntax(text).Single().Message.ShouldContain("the limit is 100");
    }

    [Fact]
    public void Evaluation_over_the_step_limit_stops_with_a_limit_error()
    {
        using var evaluator = TestEvaluators.Create(o => o.MaxEvaluationSteps = 1000);
        var root = new JsonObject { ["items"] = new JsonArray(Enumerable.Range(0, 5000).Select(i => (JsonNode?)i).ToArray()) };

        var result = evaluator.Process(JsonValue.Create("${items.?[#this > 10].size()}"), new ExpressionScope(Root: root));

        var failure = result.Summary.Failures.Single().Value.Single();
        failure.ExceptionType.ShouldBe(ExpressionException.LimitExceeded);
        failure.Description.ShouldContain("1000 evaluation steps");
    }

    [Fact]
    public void Huge_string_result_is_refused()
    {
        using var evaluator = TestEvaluators.Create(o => o.MaxResultLength = 10_000);

        var result = evaluator.Evaluate("'abc'.repeat(100000)", Empty);

        result.Error.ShouldNotBeNull().ShouldContain("the limit is 10000");
    }

    [Fact]
    public void Doubling_concatenation_is_refused_before_it_exhausts_memory()
    {
        using var evaluator = TestEvaluators.Create(o => o.MaxResultLength = 1000);
        var root = new JsonObject { ["s"] = new string('x', 600) };

        var result = evaluator.Process(JsonValue.Create("${s + s}"), new ExpressionScope(Root: root));

        result.Summary.Failures.Single().Value.Single().ExceptionType.ShouldBe(ExpressionException.LimitExceeded);
    }

    [Fact]
    public void Catastrophic_regex_times_out_instead_of_hanging()
    {
        using var evaluator = TestEvaluators.Create(o => o.RegexTimeout = TimeSpan.FromMilliseconds(50));

        var result = evaluator.Evaluate("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' matches '(a+)+$'", Empty);

        result.Error.ShouldNotBeNull().ShouldContain("too long");
    }

    [Theory]
    [InlineData("T(java.lang.System).exit(1)")]
    [InlineData("T(java.lang.Runtime).getRuntime()")]
    [InlineData("new java.io.File('/etc/passwd')")]
    [InlineData("T(java.lang.Class).forName('java.lang.Runtime')")]
    [InlineData("'a'.getClass()")]
    [InlineData("new java.lang.ProcessBuilder('ls').start()")]
    [InlineData("T(Integer).getInteger('x')")]
    [InlineData("@someBean")]
    [InlineData("#root.execution = null")]
    public void Types_and_members_outside_the_allow_list_are_refused(string expression)
    {
        using var evaluator = TestEvaluators.Create();

        evaluator.Evaluate(expression, Empty).Succeeded.ShouldBeFalse();
    }

    [Fact]
    public void Allow_listed_types_work_with_the_injected_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 8, 30, 0, TimeSpan.Zero));
        using var evaluator = TestEvaluators.Create(clock: clock);

        evaluator.Evaluate("T(java.time.LocalDate).now().plusDays(5).toString()", Empty).Value!.GetValue<string>().ShouldBe("2026-03-19");
        evaluator.Evaluate("T(Instant).now().toEpochMilli()", Empty).Value!.GetValue<long>().ShouldBe(clock.GetUtcNow().ToUnixTimeMilliseconds());
        evaluator.Evaluate("T(LocalDate).now().with(T(TemporalAdjusters).next(T(DayOfWeek).MONDAY)).toString()", Empty).Value!.GetValue<string>().ShouldBe("2026-03-16");
        evaluator.Evaluate("T(ChronoUnit).DAYS.between(T(LocalDate).parse('2026-01-01'), T(LocalDate).now())", Empty).Value!.GetValue<long>().ShouldBe(72);
        evaluator.Evaluate("new java.text.SimpleDateFormat('yyyy-MM-dd HH:mm').format(new java.util.Date())", Empty).Value!.GetValue<string>().ShouldBe("2026-03-14 08:30");
        evaluator.Evaluate("T(java.net.URLEncoder).encode('a b&c', 'UTF-8')", Empty).Value!.GetValue<string>().ShouldBe("a+b%26c");
        evaluator.Evaluate("T(Math).max(3, 7)", Empty).Value!.GetValue<int>().ShouldBe(7);
        evaluator.Evaluate("T(Integer).parseInt('42') + 1", Empty).Value!.GetValue<int>().ShouldBe(43);
    }
}
