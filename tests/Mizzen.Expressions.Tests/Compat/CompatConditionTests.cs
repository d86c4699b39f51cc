using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Expressions.Conditions;

namespace Mizzen.Expressions.Tests.Compat;

/// <summary><c>stageEnabled</c> and <c>preconditions</c> entries of expressions.json.</summary>
public sealed class CompatConditionTests : IDisposable
{
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create();

    public static TheoryData<string> StageEnabledCases => CompatFile.Ids("stageEnabled");

    public static TheoryData<string> PreconditionCases => CompatFile.Ids("preconditions");

    [Theory]
    [MemberData(nameof(StageEnabledCases))]
    public void Stage_enabled_case_skips_as_Orca_does(string id)
    {
        var testCase = CompatFile.Case("stageEnabled", id);
        var execution = TestEvaluators.ReadExecution(CompatFile.Context((string)testCase["context"]!)["execution"]!);
        var stage = (string?)testCase["currentStage"] is { } stageId
            ? execution.StageByIdOrThrow(stageId)
            : new StageExecution { Id = "evaluated", Type = "test", Context = new JsonObject { ["stageEnabled"] = testCase["stageEnabled"]?.DeepClone() } };

        StageEnabledCondition.ShouldSkip(evaluator, execution, stage).ShouldBe((bool)testCase["expectedSkipped"]!);
    }

    [Theory]
    [MemberData(nameof(PreconditionCases))]
    public void Precondition_case_gives_Orcas_status_and_result(string id)
    {
        var testCase = CompatFile.Case("preconditions", id);
        var execution = TestEvaluators.ReadExecution(CompatFile.Context((string)testCase["context"]!)["execution"]!);
        var stage = execution.StageByIdOrThrow((string)testCase["currentStage"]!);

        var result = ExpressionPrecondition.Check(evaluator, execution, stage, (string)testCase["expression"]!);

        result.ExpressionResult.ShouldBe((string)testCase["expectedResult"]!);
        (result.Passed ? "SUCCEEDED" : "TERMINAL").ShouldBe((string)testCase["expectedStatus"]!);
    }

    public void Dispose() => evaluator.Dispose();
}
