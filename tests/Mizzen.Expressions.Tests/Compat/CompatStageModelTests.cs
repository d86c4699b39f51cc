using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;

namespace Mizzen.Expressions.Tests.Compat;

/// <summary><c>casesNeedingStageModel</c>: deployedServerGroups projections, scmInfo, and the evaluateVariables API (v3 and v4).</summary>
public sealed class CompatStageModelTests : IDisposable
{
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create();

    public static TheoryData<string> Cases => CompatFile.Ids("casesNeedingStageModel");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stage_model_case_gives_Spinnakers_result(string id)
    {
        var testCase = CompatFile.Case("casesNeedingStageModel", id);
        if (testCase["spelVersion"] is not null)
        {
            EvaluateVariables(testCase);
            return;
        }

        var result = evaluator.Process(testCase["input"], CompatFile.Scope(testCase));
        if (testCase["expectedProjections"] is JsonObject projections)
        {
            foreach (var (key, expected) in projections)
            {
                AssertProjections(result.Value![key] as JsonArray, (JsonObject)expected!, result.Summary);
            }
        }
        else
        {
            TestEvaluators.Equivalent(testCase["expected"], result.Value).ShouldBeTrue(
                $"expected {testCase["expected"]?.ToJsonString()} but got {result.Value?.ToJsonString()}");
        }

        CompatCaseTests.AssertSummary(testCase, result.Summary);
    }

    private static void AssertProjections(JsonArray? actual, JsonObject expected, ExpressionEvaluationSummary summary)
    {
        actual.ShouldNotBeNull(summary.ToJson().ToJsonString());
        foreach (var (field, values) in expected)
        {
            if (field == "size")
            {
                actual.Count.ShouldBe((int)values!);
                continue;
            }

            var projection = new JsonArray(actual.Select(entry => entry![field]?.DeepClone()).ToArray());
            TestEvaluators.Equivalent(values, projection).ShouldBeTrue($"{field}: expected {values?.ToJsonString()} got {projection.ToJsonString()}");
        }
    }

    /// <summary>
    /// Orca's ExpressionUtils.evaluateVariables: a temporary evaluateVariables stage requiring the given refIds. v4 evaluates
    /// the variables one by one, adding each successful value for the next; v3 evaluates the list at once.
    /// </summary>
    private void EvaluateVariables(JsonObject testCase)
    {
        var execution = TestEvaluators.ReadExecution(CompatFile.Context((string)testCase["context"]!)["execution"]!);
        var stage = new StageExecution
        {
            Id = "evaluate-variables",
            Type = "evaluateVariables",
            RequisiteStageRefIds = ((JsonArray)testCase["requisiteStageRefIds"]!).Select(r => (string)r!).ToList(),
        };
        var input = (JsonArray)testCase["input"]!;
        var expected = (JsonObject)testCase["expected"]!;
        var failureKeys = new HashSet<string>();
        JsonArray result;
        if ((string?)testCase["spelVersion"] == "v4")
        {
            result = [];
            var variables = new JsonObject();
            foreach (var variable in input.OfType<JsonObject>())
            {
                var scope = new ExpressionScope(execution, stage, Variables: variables.DeepClone().AsObject());
                var processed = evaluator.Process(variable, scope);
                failureKeys.UnionWith(processed.Summary.Failures.Keys);
                var value = processed.Value!.AsObject();
                var source = (string)variable["value"]!;
                if (!processed.Summary.Failures.Keys.Any(k => source.Contains(k, StringComparison.Ordinal)))
                {
                    variables[(string)variable["key"]!] = value["value"]?.DeepClone();
                }

                result.Add(new JsonObject
                {
                    ["key"] = value["key"]?.DeepClone(),
                    ["value"] = value["value"]?.DeepClone(),
                    ["sourceValue"] = source.Replace("$", "", StringComparison.Ordinal),
                    ["description"] = value["description"]?.DeepClone(),
                });
            }
        }
        else
        {
            var processed = evaluator.Process(input, new ExpressionScope(execution, stage));
            failureKeys.UnionWith(processed.Summary.Failures.Keys);
            result = processed.Value!.AsArray();
        }

        TestEvaluators.Equivalent(expected["result"], result).ShouldBeTrue($"expected {expected["result"]!.ToJsonString()} got {result.ToJsonString()}");
        if (expected["detailKeys"] is JsonArray detailKeys)
        {
            failureKeys.ShouldBe(detailKeys.Select(k => (string)k!), ignoreOrder: true);
        }
    }

    public void Dispose() => evaluator.Dispose();
}
