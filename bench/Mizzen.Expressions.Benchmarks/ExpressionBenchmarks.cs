using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;

namespace Mizzen.Expressions.Benchmarks;

/// <summary>
/// The engine's hot path: a typical expression against a realistic execution, and a 50-field stage context with 20
/// expressions, parsed once (cached) and evaluated many times.
/// </summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks : IDisposable
{
    private const string Typical = "${trigger.parameters.env == 'prod' && #stage('Deploy').status == 'SUCCEEDED'}";
    private SpelExpressionEvaluator evaluator = null!;
    private ExpressionScope scope = null!;
    private JsonValue typical = null!;
    private JsonObject context = null!;
    private JsonObject plainContext = null!;

    [GlobalSetup]
    public void Setup()
    {
        evaluator = new SpelExpressionEvaluator(new ExpressionOptions(), TimeProvider.System);
        var execution = new PipelineExecution
        {
            Id = "01JBENCH",
            Application = "web",
            Trigger = new JsonObject
            {
                ["type"] = "manual",
                ["user"] = "ann@example.com",
                ["parameters"] = new JsonObject { ["env"] = "prod", ["region"] = "eu-west-1", ["replicas"] = 3 },
            },
        };
        string[] names = ["Configure", "Bake", "Find Image", "Deploy", "Wait", "Manual Judgment", "Canary", "Promote"];
        for (var i = 0; i < names.Length; i++)
        {
            execution.Stages.Add(new StageExecution
            {
                Id = "stage-" + i,
                RefId = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Name = names[i],
                Type = "wait",
                Status = i < 5 ? ExecutionStatus.Succeeded : ExecutionStatus.NotStarted,
                RequisiteStageRefIds = i == 0 ? [] : [i.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                Context = new JsonObject { ["waitTime"] = 30, ["comments"] = "stage " + i },
                Outputs = new JsonObject { ["output" + i] = "value" + i },
            });
        }

        context = new JsonObject();
        plainContext = new JsonObject();
        string[] expressions =
        [
            "${parameters.env}", "${parameters.region}", "${parameters.replicas * 2}", "${trigger.user.split('@')[0]}",
            "${#stage('Bake').status}", "${output1}", "${output3 + '-suffix'}", "${execution.application}",
            "${parameters.env == 'prod' ? 'large' : 'small'}", "app-${parameters.env}-${parameters.region}",
        ];
        for (var i = 0; i < 50; i++)
        {
            context["field" + i] = i < 20 ? expressions[i % expressions.Length] : "plain value " + i;
            plainContext["field" + i] = "plain value " + i;
        }

        var stage = execution.Stages[5];
        stage.Context = context;
        scope = new ExpressionScope(execution, stage);
        typical = JsonValue.Create(Typical);
        evaluator.Process(typical, scope);
        evaluator.Process(context, scope);
    }

    [Benchmark(Description = "typical expression (cached parse)")]
    public JsonNode? TypicalExpression() => evaluator.Process(typical, scope).Value;

    [Benchmark(Description = "50-field context, 20 expressions")]
    public JsonNode? StageContext() => evaluator.Process(context, scope).Value;

    [Benchmark(Description = "50-field context, no expressions")]
    public JsonNode? PlainContext() => evaluator.Process(plainContext, scope).Value;

    [GlobalCleanup]
    public void Dispose()
    {
        evaluator.Dispose();
        GC.SuppressFinalize(this);
    }
}
