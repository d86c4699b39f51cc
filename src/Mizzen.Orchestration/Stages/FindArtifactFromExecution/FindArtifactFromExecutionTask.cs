using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Tasks;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Orchestration.Stages.FindArtifactFromExecution;

/// <summary>
/// Finds the latest run of the named pipeline in the chosen statuses (never the run asking), collects its artifacts (trigger and
/// stage outputs, <see cref="ExecutionArtifacts"/>) and binds each expected artifact to the first that its <c>matchArtifact</c> matches
/// (Orca does not require a unique match here), else to its <c>defaultArtifact</c> when <c>useDefaultArtifact</c> is set.
/// </summary>
public sealed class FindArtifactFromExecutionTask(IExecutionStore executions, IPipelineConfigStore configs) : ITask
{
    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var stageContext = context.Context;
        var pipeline = stageContext["pipeline"].AsString();
        var application = stageContext["application"].AsString() ?? context.Execution.Application;
        if (string.IsNullOrEmpty(pipeline))
        {
            return TaskResult.Terminal($"Stage '{context.Stage.Name}' names no pipeline to find artifacts in ('pipeline': a pipeline config id)");
        }

        var (expected, _) = ExpectedArtifacts(stageContext);
        if (expected.Count == 0)
        {
            return TaskResult.Terminal($"Stage '{context.Stage.Name}' expects no artifact: give expectedArtifacts [{{id, matchArtifact}}]");
        }

        var configId = (await configs.GetAsync(pipeline, cancellationToken))?.Id
                       ?? (await configs.FindByNameAsync(application, pipeline, cancellationToken))?.Id
                       ?? pipeline; // a deleted config's runs may still be stored under its id
        var statuses = Statuses(stageContext["executionOptions"] as JsonObject);
        var runs = await executions.ListAsync(new ExecutionQuery
        {
            PipelineConfigIds = [configId],
            Statuses = statuses.Count == 0 ? null : statuses,
            Type = ExecutionType.Pipeline,
            Limit = 2,
        }, cancellationToken);
        var run = runs.FirstOrDefault(r => r.Id != context.Execution.Id);
        if (run is null)
        {
            var which = statuses.Count == 0 ? "" : " " + string.Join(" or ", statuses.Select(s => s.ToWireName()));
            return TaskResult.Terminal($"No{which} execution of pipeline '{pipeline}' (application '{application}') was found to take artifacts from");
        }

        var candidates = ExecutionArtifacts.Of(run);
        var resolved = new JsonArray();
        var bound = new JsonArray();
        var missing = new List<string>();
        foreach (var node in expected.OfType<JsonObject>())
        {
            var match = node["matchArtifact"] as JsonObject ?? [];
            var artifact = candidates.FirstOrDefault(c => ArtifactMatching.Matches(match, c))
                           ?? (node["useDefaultArtifact"].AsBool() == true ? node["defaultArtifact"] as JsonObject : null);
            if (artifact is null)
            {
                missing.Add(Describe(node, match));
                continue;
            }

            var result = (JsonObject)node.DeepClone();
            result["boundArtifact"] = artifact.DeepClone();
            resolved.Add(result);
            bound.Add(artifact.DeepClone());
        }

        if (missing.Count > 0)
        {
            return TaskResult.Terminal(
                $"Execution {run.Id} of pipeline '{pipeline}' has no artifact matching {string.Join("; ", missing)} (it has {candidates.Count} artifact(s))");
        }

        var outputs = new JsonObject
        {
            [StageArtifactBinding.ResolvedExpectedArtifactsKey] = resolved,
            ["artifacts"] = bound,
            ["executionId"] = run.Id,
        };
        return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
    }

    /// <summary>The stage's expected artifacts: <c>expectedArtifacts</c>, or Deck's older single <c>expectedArtifact</c>; and which field held them.</summary>
    public static (IReadOnlyList<JsonNode?> Artifacts, string Field) ExpectedArtifacts(JsonObject stageContext) =>
        stageContext["expectedArtifacts"] is JsonArray list && list.Count > 0
            ? (list.ToList(), "expectedArtifacts")
            : stageContext["expectedArtifact"] is JsonObject single
                ? ([single], "expectedArtifact")
                : ([], "expectedArtifacts");

    private static List<ExecutionStatus> Statuses(JsonObject? options)
    {
        var statuses = new List<ExecutionStatus>();
        if (options?["successful"].AsBool() == true)
        {
            statuses.Add(ExecutionStatus.Succeeded);
        }

        if (options?["terminal"].AsBool() == true)
        {
            statuses.Add(ExecutionStatus.Terminal);
        }

        if (options?["running"].AsBool() == true)
        {
            statuses.Add(ExecutionStatus.Running);
        }

        return statuses;
    }

    private static string Describe(JsonObject expected, JsonObject match)
    {
        var name = expected["displayName"].AsString() ?? expected["id"].AsString() ?? "(no id)";
        var fields = new[] { "type", "name", "version", "reference" }
            .Where(f => !string.IsNullOrEmpty(match[f].AsString()))
            .Select(f => $"{f} '{match[f].AsString()}'");
        return $"'{name}' {{{string.Join(", ", fields)}}}";
    }
}
