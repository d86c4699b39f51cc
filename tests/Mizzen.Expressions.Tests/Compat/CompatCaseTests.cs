using System.Text.Json.Nodes;

namespace Mizzen.Expressions.Tests.Compat;

/// <summary>Every entry of <c>cases</c> in expressions.json (Orca's and kork's own tests): input, expected value, summary.</summary>
public sealed class CompatCaseTests : IDisposable
{
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create();

    public static TheoryData<string> Cases => CompatFile.Ids("cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compat_case_gives_Spinnakers_result(string id)
    {
        var testCase = CompatFile.Case("cases", id);
        var result = evaluator.Process(testCase["input"], CompatFile.Scope(testCase));

        var expected = testCase["expected"];
        TestEvaluators.Equivalent(expected, result.Value).ShouldBeTrue(
            $"expected {expected?.ToJsonString()} but got {result.Value?.ToJsonString()}; summary {result.Summary.ToJson().ToJsonString()}");
        AssertSummary(testCase, result.Summary);
    }

    internal static void AssertSummary(JsonObject testCase, Core.Expressions.ExpressionEvaluationSummary summary)
    {
        if ((int?)testCase["summaryEntries"] is { } entries)
        {
            summary.Failures.Count.ShouldBe(entries, summary.ToJson().ToJsonString());
        }

        var failures = summary.Failures.Values.SelectMany(f => f).ToList();
        if ((string?)testCase["summaryLevel"] is { } level)
        {
            failures.ShouldContain(f => f.Level == level, summary.ToJson().ToJsonString());
        }

        if ((string?)testCase["summaryDescriptionContains"] is { } text)
        {
            failures.ShouldContain(f => f.Description.Contains(text, StringComparison.Ordinal), summary.ToJson().ToJsonString());
        }
    }

    public void Dispose() => evaluator.Dispose();
}
