using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Validation;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Testing;
using Xunit.Abstractions;

namespace Mizzen.Server.Tests.Compat;

/// <summary>
/// Every pipeline in shared/compat/pipelines loads, round-trips through the store with its unknown fields intact,
/// and validates to either "runnable" or the list of stage types Mizzen cannot run yet.
/// </summary>
public sealed class PipelineCompatibilityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() =>
        new(Directory.GetFiles(CompatData.PathOf("pipelines"), "*.json").Select(Path.GetFileName).Order().OfType<string>());

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Compat_pipeline_round_trips_and_validates_to_runnable_or_named_missing_types(string file)
    {
        await using var server = await RunningServer.StartAsync();
        var root = JsonNode.Parse(await File.ReadAllTextAsync(CompatData.PathOf("pipelines", file)))!;
        if (root is JsonObject { } single && single["stages"] is not null && single["status"] is not null && single["type"]?.GetValue<string>() == "PIPELINE")
        {
            // A stored execution, not a config: it must load as one and serialize back with its stages.
            var execution = MizzenJson.Deserialize<PipelineExecution>(root.ToJsonString());
            execution.Stages.Count.ShouldBe(single["stages"]!.AsArray().Count);
            JsonNode.Parse(ExecutionSerializer.Serialize(execution))!["stages"]!.AsArray().Count.ShouldBe(execution.Stages.Count);
            output.WriteLine($"{file}: a stored execution with {execution.Stages.Count} stages; loads");
            return;
        }

        var configs = root is JsonArray array ? array.OfType<JsonObject>().ToList() : [root.AsObject()];
        configs.ShouldNotBeEmpty();
        var store = server.Services.GetRequiredService<IPipelineConfigStore>();
        var validator = server.Services.GetRequiredService<PipelineValidator>();
        foreach (var original in configs)
        {
            var copy = original.DeepClone().AsObject();
            copy["application"] ??= "compat";
            copy["name"] ??= "unnamed";
            copy.Remove("id");
            var config = new PipelineConfig(copy);
            await store.SaveAsync(config, "compat", CancellationToken.None);
            var loaded = (await store.GetAsync(config.Id!, CancellationToken.None))!.Json;
            foreach (var (key, value) in original)
            {
                if (key is "id" or "updateTs" or "lastModifiedBy")
                {
                    continue;
                }

                JsonNode.DeepEquals(loaded[key], value).ShouldBeTrue($"{file}: field '{key}' changed on the round trip");
            }

            var problems = validator.Validate(copy);
            var missing = problems.Where(p => p.Message.Contains("cannot run yet", StringComparison.Ordinal))
                .Select(p => p.Message.Split("has type '")[1].Split('\'')[0]).Distinct().Order().ToList();
            var providers = problems.Where(p => p.Message.StartsWith("cloud provider '", StringComparison.Ordinal))
                .Select(p => p.Message.Split('\'')[1]).Distinct().Order().ToList();
            var other = problems.Where(p => !p.Message.Contains("cannot run yet", StringComparison.Ordinal)
                                            && !p.Message.StartsWith("cloud provider '", StringComparison.Ordinal)).ToList();
            output.WriteLine(problems.Count == 0
                ? $"{file} / {copy["name"]}: runnable"
                : $"{file} / {copy["name"]}: missing stage types [{string.Join(", ", missing)}] missing cloud providers [{string.Join(", ", providers)}]"
                  + (other.Count > 0 ? "; other problems: " + string.Join("; ", other) : ""));
            other.ShouldAllBe(p => !p.Message.Contains("syntax", StringComparison.Ordinal), "compat expressions must parse");
        }
    }
}
