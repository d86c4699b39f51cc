using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Validation;
using Mizzen.Persistence.Executions;

namespace Mizzen.Triggers.Pipeline;

/// <summary>
/// <c>pipeline</c> triggers (Orca's dependent pipelines): <c>{"application": "shop", "pipeline": "&lt;config id&gt;",
/// "status": ["successful"]}</c> fires when a run of that pipeline ends with one of the statuses — <c>successful</c> (SUCCEEDED),
/// <c>failed</c> (TERMINAL and every other failure), <c>canceled</c>, <c>suspended</c>. The run's trigger carries
/// <c>parentExecution</c> (the whole parent run, as Spinnaker has it), <c>parentPipelineId</c>, <c>parentPipelineName</c>,
/// <c>parentPipelineApplication</c> and <c>parentStatus</c>.
/// </summary>
public sealed class PipelineTriggerType : ITriggerType, ITriggerValidation
{
    public string Type => "pipeline";

    public TriggerDecision Match(IndexedTrigger trigger, TriggerEvent triggerEvent)
    {
        var json = trigger.Trigger;
        if (!string.Equals(json["pipeline"].AsString(), triggerEvent.Source, StringComparison.Ordinal))
        {
            return TriggerDecision.NotAddressed;
        }

        var parentApplication = triggerEvent.TriggerFields["parentPipelineApplication"].AsString();
        if (json["application"].AsString() is { Length: > 0 } application && !string.Equals(application, parentApplication, StringComparison.OrdinalIgnoreCase))
        {
            return TriggerDecision.NotAddressed;
        }

        var status = triggerEvent.TriggerFields["parentStatus"].AsString() ?? "";
        var wanted = (json["status"] as JsonArray ?? []).Select(s => s.AsString()?.ToLowerInvariant()).OfType<string>().ToList();
        var outcome = Outcome(status);
        return wanted.Contains(outcome)
            ? TriggerDecision.Matched
            : TriggerDecision.Rejected($"the parent run ended {status} ({outcome}); this trigger fires on {(wanted.Count == 0 ? "no status (status is empty)" : string.Join(", ", wanted))}");
    }

    public void Check(JsonObject trigger, string path, List<ValidationProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(trigger["pipeline"].AsString()))
        {
            problems.Add(ValidationProblem.Warning($"{path}.pipeline", "a pipeline trigger needs the id of the pipeline whose runs start this one"));
        }

        var statuses = trigger["status"] as JsonArray;
        if (statuses is null || statuses.Count == 0)
        {
            problems.Add(ValidationProblem.Warning($"{path}.status", "a pipeline trigger fires on the statuses listed here (successful, failed, canceled, suspended); none is listed"));
            return;
        }

        for (var i = 0; i < statuses.Count; i++)
        {
            if (statuses[i].AsString()?.ToLowerInvariant() is not ("successful" or "failed" or "canceled" or "suspended"))
            {
                problems.Add(ValidationProblem.Warning($"{path}.status[{i}]", $"'{statuses[i]?.ToJsonString()}' is not one of successful, failed, canceled, suspended"));
            }
        }
    }

    /// <summary>Orca's mapping of a parent's status to the trigger's words.</summary>
    public static string Outcome(string status) => status switch
    {
        "SUCCEEDED" => "successful",
        "CANCELED" => "canceled",
        "SUSPENDED" => "suspended",
        _ => "failed",
    };
}

/// <summary>Sends every ended pipeline run to the dispatcher as a <c>pipeline</c> event, addressed to the triggers naming its config.</summary>
public sealed class PipelineTriggerListener(TriggerIndex index, TriggerDispatcher dispatcher) : IExecutionFinishedListener
{
    public async Task OnFinishedAsync(PipelineExecution execution, CancellationToken cancellationToken)
    {
        if (execution.Type != ExecutionType.Pipeline || execution.PipelineConfigId is not { } configId)
        {
            return;
        }

        // Most runs have no dependent pipeline: look before serializing the whole run into the event.
        var dependents = await index.OfTypeAsync("pipeline", cancellationToken);
        if (!dependents.Any(t => string.Equals(t.Trigger["pipeline"].AsString(), configId, StringComparison.Ordinal)))
        {
            return;
        }

        var status = execution.Status.ToWireName();
        var fields = new JsonObject
        {
            ["parentExecution"] = JsonNode.Parse(ExecutionSerializer.Serialize(execution)),
            ["parentPipelineId"] = execution.Id,
            ["parentPipelineName"] = execution.Name,
            ["parentPipelineApplication"] = execution.Application,
            ["parentStatus"] = status,
            ["isPipeline"] = true,
        };

        // A restarted run that ends again is a new event (its end time differs); a redelivery of the same end is not.
        await dispatcher.DispatchAsync(new TriggerEvent("pipeline", $"{execution.Id}@{execution.EndTime}")
        {
            Source = configId,
            TriggerFields = fields,
            Description = $"run {execution.Id} of {execution.Application}/{execution.Name} ended {status}",
        }, cancellationToken);
    }
}
