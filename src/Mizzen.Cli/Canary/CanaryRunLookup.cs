using System.Text.Json.Nodes;
using Mizzen.Canary.Stage;
using Mizzen.Cli.Http;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Canary;

/// <summary>A canary run's status as the API serves it (<c>GET /v2/canaries/canary/{canaryExecutionId}</c>), and its stage's name when known.</summary>
internal sealed record CanaryRunStatus(JsonObject Status, string? StageName);

/// <summary>
/// Finds the canary runs an id names. A canary execution id (<c>{executionId}-{stageId}</c>, the <c>kayentaCanary</c> stage's
/// <c>canaryExecutionId</c> output) is one run. A pipeline execution id (a ULID, so it holds no '-') is every <c>kayentaCanary</c>
/// stage of that execution, in stage order.
/// </summary>
internal static class CanaryRunLookup
{
    public static bool IsCanaryExecutionId(string id) => id.Contains('-', StringComparison.Ordinal);

    public static async Task<IReadOnlyList<CanaryRunStatus>> FindAsync(MizzenClient client, string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw CliException.Usage("ID must be a canary execution id or a pipeline execution id");
        }

        if (IsCanaryExecutionId(id))
        {
            return [new CanaryRunStatus(await StatusAsync(client, id, cancellationToken), StageName: null)];
        }

        var execution = Answers.As<PipelineExecution>(await client.GetAsync(ApiPath.Of("pipelines", id), cancellationToken), "execution");
        var canaries = execution.Stages.Where(s => s.Type == KayentaCanaryStage.StageType).ToList();
        if (canaries.Count == 0)
        {
            throw new CliException($"execution {id} has no {KayentaCanaryStage.StageType} stage, so it has no canary report");
        }

        var runs = new List<CanaryRunStatus>(canaries.Count);
        foreach (var stage in canaries)
        {
            var canaryExecutionId = stage.Outputs["canaryExecutionId"].AsString()
                                    ?? stage.Context["canaryExecutionId"].AsString()
                                    ?? CanaryExecutionId.For(execution.Id, stage.Id);
            runs.Add(new CanaryRunStatus(await StatusAsync(client, canaryExecutionId, cancellationToken), stage.Name));
        }

        return runs;
    }

    private static async Task<JsonObject> StatusAsync(MizzenClient client, string canaryExecutionId, CancellationToken cancellationToken)
        => Answers.Object(await client.GetAsync(ApiPath.Of("v2", "canaries", "canary", canaryExecutionId), cancellationToken), "canary run status");
}
