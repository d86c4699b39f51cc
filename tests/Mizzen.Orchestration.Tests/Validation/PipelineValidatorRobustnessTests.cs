using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Json;
using Mizzen.Expressions;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Validation;
using Mizzen.Testing;

namespace Mizzen.Orchestration.Tests.Validation;

/// <summary>
/// Validation never crashes: every top-level field of every stage and of every wild pipeline, replaced by a value of
/// another kind (an object, a list, a number, null), still gives a list of problems, never an exception.
/// </summary>
public sealed class PipelineValidatorRobustnessTests : IDisposable
{
    private readonly ServiceProvider services;

    public PipelineValidatorRobustnessTests()
    {
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.None));
        collection.AddMizzenExpressions();
        collection.AddMizzenEngine(startWorker: false);
        collection.AddCoreStages();
        collection.AddServerGroupStages();
        services = collection.BuildServiceProvider();
    }

    public void Dispose() => services.Dispose();

    [Fact]
    public void Every_field_of_a_wild_pipeline_replaced_by_another_kind_of_value_gives_problems_not_an_exception()
    {
        var validator = new PipelineValidator(services.GetRequiredService<StageCatalog>(), services.GetRequiredService<Core.Expressions.IExpressionEvaluator>());
        JsonNode?[] replacements = [new JsonObject(), new JsonArray(), JsonValue.Create(7), null, JsonValue.Create("${ #stag( }")];
        var checkedCount = 0;
        foreach (var file in Directory.GetFiles(CompatData.PathOf("pipelines-wild"), "*.json"))
        {
            var root = JsonInput.Parse(File.ReadAllText(file)).Root;
            var pipelines = root switch
            {
                JsonArray list => list.OfType<JsonObject>().ToList(),
                JsonObject o when o["pipelines"] is JsonArray list => list.OfType<JsonObject>().ToList(),
                JsonObject o => [o],
                _ => [],
            };
            foreach (var pipeline in pipelines)
            {
                foreach (var (target, key) in Fields(pipeline))
                {
                    foreach (var replacement in replacements)
                    {
                        var original = target[key]?.DeepClone();
                        target[key] = replacement?.DeepClone();
                        Should.NotThrow(() => validator.Check(pipeline), $"{Path.GetFileName(file)}: {key} = {replacement?.ToJsonString() ?? "null"}");
                        target[key] = original;
                        checkedCount++;
                    }
                }
            }
        }

        checkedCount.ShouldBeGreaterThan(1000);
    }

    [Fact]
    public void Every_node_of_a_pipeline_using_every_checked_field_replaced_by_another_kind_gives_problems_not_an_exception()
    {
        var validator = new PipelineValidator(services.GetRequiredService<StageCatalog>(), services.GetRequiredService<Core.Expressions.IExpressionEvaluator>());
        var pipeline = JsonInput.ParseObject("""
            {"application":"a","name":"p","schema":"1","parameterConfig":[{"name":"env","default":"x"}],
             "expectedArtifacts":[{"id":"m","displayName":"manifest","matchArtifact":{"name":"m","type":"embedded/base64"}}],
             "triggers":[{"type":"docker","enabled":true,"expectedArtifactIds":["m"]}],
             "notifications":[{"type":"email","address":"a@example.com","when":["pipeline.failed"]}],
             "config":{"pipeline":{"template":{"source":"x"}}},
             "stages":[
              {"refId":"1","type":"wait","name":"w","waitTime":"${parameters.env}","requiredArtifactIds":["m"],"source":"artifact","manifestArtifactId":"m",
               "restrictExecutionDuringTimeWindow":true,"restrictedExecutionWindow":{"whitelist":[{"startHour":1,"startMin":0,"endHour":2,"endMin":0}],"days":[1,2]},
               "stageEnabled":{"type":"expression","expression":"parameters.env == 'x'"},
               "sendNotifications":true,"notifications":[{"type":"slack","address":"#ops","when":["stage.failed"]}]},
              {"refId":"2","requisiteStageRefIds":["1"],"type":"deploy","clusters":[{"cloudProvider":"local","account":"local","application":"a"}],"cluster":{"provider":"local"}},
              {"refId":"3","requisiteStageRefIds":["1"],"type":"checkPreconditions","preconditions":[{"type":"expression","context":{"expression":"true"}}]}]}
            """).Root;
        pipeline.Remove("config");
        JsonNode?[] replacements = [new JsonObject(), new JsonArray(), JsonValue.Create(7), null, JsonValue.Create("${")];
        var count = 0;
        foreach (var (get, set, label) in Nodes(pipeline, "").ToList())
        {
            foreach (var replacement in replacements)
            {
                var original = get()?.DeepClone();
                set(replacement?.DeepClone());
                Should.NotThrow(() => validator.Check(pipeline), $"{label} = {replacement?.ToJsonString() ?? "null"}");
                set(original);
                count++;
            }
        }

        count.ShouldBeGreaterThan(300);
    }

    private static IEnumerable<(Func<JsonNode?> Get, Action<JsonNode?> Set, string Label)> Nodes(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    yield return (() => o[key], v => o[key] = v, $"{path}.{key}");
                    if (o[key] is { } child)
                    {
                        foreach (var inner in Nodes(child, $"{path}.{key}"))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var index = i;
                    yield return (() => a[index], v => a[index] = v, $"{path}[{index}]");
                    if (a[index] is { } child)
                    {
                        foreach (var inner in Nodes(child, $"{path}[{index}]"))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
        }
    }

    private static IEnumerable<(JsonObject Target, string Key)> Fields(JsonObject pipeline)
    {
        foreach (var key in pipeline.Select(p => p.Key).ToList())
        {
            yield return (pipeline, key);
        }

        foreach (var stage in (pipeline["stages"] as JsonArray ?? []).OfType<JsonObject>().ToList())
        {
            foreach (var key in stage.Select(p => p.Key).ToList())
            {
                yield return (stage, key);
            }
        }
    }
}
