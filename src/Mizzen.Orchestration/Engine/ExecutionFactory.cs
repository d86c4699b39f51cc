using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Ids;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Turns a pipeline config and a trigger into a stored execution with every stage NOT_STARTED (Orca's
/// ExecutionLauncher + PipelineBuilder): everything in a stage except refId, requisites, type and name becomes its context.
/// </summary>
public sealed class ExecutionFactory(TimeProvider time)
{
    private static readonly string[] CopiedFields = ["origin", "source", "templateVariables", "startTimeExpiry", "expectedArtifacts"];

    public PipelineExecution Create(PipelineConfig config, JsonObject trigger, string user)
    {
        if (config.Disabled)
        {
            throw new ConflictException($"Pipeline '{config.Name}' of application '{config.Application}' is disabled and cannot be started.");
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var execution = new PipelineExecution
        {
            Id = Ulid.NewUlid(time),
            Type = ExecutionType.Pipeline,
            Application = config.Application.ToLowerInvariant(),
            Name = config.Name,
            PipelineConfigId = config.Id,
            BuildTime = now,
            LimitConcurrent = config.LimitConcurrent,
            KeepWaitingPipelines = config.KeepWaitingPipelines,
            MaxConcurrentExecutions = config.MaxConcurrentExecutions,
            SpelEvaluator = config.Json["spelEvaluator"].AsString(),
            Notifications = config.Json["notifications"]?.DeepClone() as JsonArray,
            Description = config.Json["description"].AsString(),
            Trigger = BuildTrigger(config, trigger, user),
            Authentication = new AuthenticationDetails { User = user },
        };
        foreach (var field in CopiedFields)
        {
            if (config.Json[field] is { } value)
            {
                (execution.Extra ??= [])[field] = JsonSerializer.SerializeToElement(value, MizzenJson.Options);
            }
        }

        if (config.Json["startTimeExpiry"].AsLong() is { } expiry)
        {
            execution.StartTimeExpiry = expiry;
        }

        execution.Stages = BuildStages(config.Stages);
        return execution;
    }

    public PipelineExecution CreateOrchestration(string application, string description, JsonArray stages, string user)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return new PipelineExecution
        {
            Id = Ulid.NewUlid(time),
            Type = ExecutionType.Orchestration,
            Application = application.ToLowerInvariant(),
            Name = description,
            Description = description,
            BuildTime = now,
            Trigger = new JsonObject { ["type"] = "manual", ["user"] = user, ["parameters"] = new JsonObject() },
            Authentication = new AuthenticationDetails { User = user },
            Stages = BuildStages(stages),
        };
    }

    private static JsonObject BuildTrigger(PipelineConfig config, JsonObject supplied, string user)
    {
        var trigger = supplied.DeepClone().AsObject();
        trigger["type"] ??= "manual";
        trigger["user"] = user;
        var parameters = trigger["parameters"] as JsonObject ?? [];
        trigger["parameters"] = parameters;
        var missing = new List<ValidationProblem>();
        for (var i = 0; i < config.ParameterConfig.Count; i++)
        {
            if (config.ParameterConfig[i] is not JsonObject parameter || parameter["name"].AsString() is not { Length: > 0 } name)
            {
                continue;
            }

            var supplied_ = parameters[name];
            var empty = supplied_ is null || supplied_.AsString() is "";
            if (empty && parameter["default"] is { } fallback && fallback.AsString() is not "")
            {
                parameters[name] = fallback.DeepClone();
            }
            else if (empty && parameter["required"].AsBool() == true)
            {
                missing.Add(new ValidationProblem($"parameters.{name}", $"required parameter '{name}' of pipeline '{config.Name}' has no value and no default"));
            }
            else if (supplied_ is null)
            {
                parameters[name] = parameter["default"]?.DeepClone();
            }

            if (parameter["hasOptions"].AsBool() == true && parameter["options"] is JsonArray options && parameters[name].AsString() is { Length: > 0 } chosen
                && !options.Any(o => o?["value"].AsString() == chosen))
            {
                missing.Add(new ValidationProblem($"parameters.{name}",
                    $"'{chosen}' is not one of the options of parameter '{name}': " + string.Join(", ", options.Select(o => o?["value"].AsString()))));
            }
        }

        return missing.Count > 0 ? throw new ValidationException(missing) : trigger;
    }

    private List<StageExecution> BuildStages(JsonArray configStages)
    {
        var numbered = configStages.DeepClone().AsArray();
        PipelineConfig.NumberLinearStages(numbered);
        var result = new List<StageExecution>();
        foreach (var node in numbered)
        {
            if (node?.DeepClone() is not JsonObject json)
            {
                continue;
            }

            var type = json["type"].AsString() ?? "";
            var stage = new StageExecution
            {
                Id = Ulid.NewUlid(time),
                RefId = json["refId"].AsString(),
                Type = type,
                Name = json["name"].AsString() ?? type,
                RequisiteStageRefIds = (json["requisiteStageRefIds"] as JsonArray)?.Select(r => r.AsString()).OfType<string>().ToList() ?? [],
                StartTimeExpiry = json["startTimeExpiry"].AsLong(),
            };
            foreach (var key in new[] { "refId", "requisiteStageRefIds", "type", "name", "startTimeExpiry" })
            {
                json.Remove(key);
            }

            stage.Context = json;
            result.Add(stage);
        }

        return result;
    }
}
