using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.CreateServerGroup;

/// <summary>
/// <c>createServerGroup</c>: deploys one new server group of the cluster <c>application-stack-freeFormDetails</c>, waits until it is
/// healthy (destroying it when it never is), then runs the <c>strategy</c>'s after stages (see <see cref="DeployStrategies"/>).
/// Context: see docs/deploy-stages.md and Clouds/README.md.
/// </summary>
public sealed class CreateServerGroupStage : IStageDefinition
{
    public const string StageType = "createServerGroup";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) =>
        tasks.Add<DetermineSourceServerGroupTask>("determineSourceServerGroup")
            .Add<CreateServerGroupTask>("createServerGroup")
            .Add<WaitForUpInstancesTask>("waitForUpInstances");

    public void BuildAfterStages(PipelineExecution execution, StageExecution parent, StageGraph graph) =>
        DeployStrategies.Build(execution, parent, graph);

    /// <summary>
    /// Orca's <c>rollback: {onFailure: true}</c>: when the deploy fails after its new server group was created and became healthy
    /// (a strategy step or a rolling red/black validation pipeline failed), the cluster goes back to the source server group — an
    /// EXPLICIT <c>rollbackServerGroup</c> resizes the source to the capacity it had, enables it, and disables the new one. A group
    /// that never became healthy was already destroyed by waitForUpInstances, so there is nothing to roll back then.
    /// </summary>
    public void BuildOnFailureStages(PipelineExecution execution, StageExecution stage, StageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(graph);
        var context = stage.Context;
        if (context["rollback"]?["onFailure"].AsBoolOrFalse() != true
            || ServerGroupContextKeys.FirstDeployed(context) is not { } deployed
            || context[DetermineSourceServerGroupTask.SourceKey] is not JsonObject source
            || source["serverGroupName"].AsString() is not { } restore
            || context["destroyedServerGroup"] is not null)
        {
            return;
        }

        var rollback = DeployStrategies.Base(context, deployed.Account, context["cluster"].AsString() ?? "");
        rollback["rollbackType"] = "EXPLICIT";
        rollback["rollbackContext"] = new JsonObject { ["rollbackServerGroupName"] = deployed.ServerGroup, ["restoreServerGroupName"] = restore };
        rollback["restoreCapacity"] = source["capacity"]?.DeepClone();
        graph.Append("rollbackServerGroup", $"Rollback {deployed.ServerGroup} on failure", rollback);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) => ValidateCluster(stageConfig, path, StageType);

    public static string? Detail(JsonObject context) => context["freeFormDetails"].AsString() ?? context["detail"].AsString();

    public static IEnumerable<ValidationProblem> ValidateCluster(JsonObject cluster, string path, string stageType)
    {
        foreach (var problem in TargetStageValidation.Account(cluster, path, stageType))
        {
            yield return problem;
        }

        var strategy = cluster["strategy"];
        if (!StageConfigChecks.IsExpression(strategy) && !DeployStrategies.Known.Contains(DeployStrategies.Of(cluster)))
        {
            yield return new ValidationProblem($"{path}.strategy", $"unknown strategy '{strategy.AsString()}' (one of: none, redblack, highlander, rollingredblack, custom)");
        }

        if (DeployStrategies.Of(cluster) == DeployStrategies.Custom && StageConfigChecks.IsMissing(cluster["strategyPipeline"]))
        {
            yield return new ValidationProblem($"{path}.strategyPipeline", "required for the 'custom' strategy");
        }

        if (cluster["capacity"] is JsonObject capacity && capacity["desired"].AsLong() is < 0)
        {
            yield return new ValidationProblem($"{path}.capacity.desired", "must not be negative");
        }

        if (cluster["artifact"] is JsonObject artifact && StageConfigChecks.IsMissing(artifact["reference"]))
        {
            yield return new ValidationProblem($"{path}.artifact.reference", "required: the bundle's path or URL");
        }

        if (cluster["healthCheck"]?["type"].AsString() is { } type && type is not ("http" or "tcp" or "none"))
        {
            yield return new ValidationProblem($"{path}.healthCheck.type", $"unknown health check type '{type}' (http, tcp or none)");
        }
    }
}
