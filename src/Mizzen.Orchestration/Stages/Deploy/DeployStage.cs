using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.CreateServerGroup;

namespace Mizzen.Orchestration.Stages.Deploy;

/// <summary>
/// <c>deploy</c> (Orca's ParallelDeployStage): one <c>createServerGroup</c> before stage per entry of <c>clusters</c> (or the single
/// <c>cluster</c>), named "Deploy in &lt;account&gt;", all in parallel; its own task then gathers their outputs
/// (<c>deploy.server.groups</c>, <c>deploy.account.name</c>, <c>deploymentDetails</c>, <c>artifacts</c>) so later stages see them.
/// A cluster without <c>application</c> gets the pipeline's.
/// </summary>
public sealed class DeployStage : IStageDefinition
{
    public const string StageType = "deploy";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<CompleteParallelDeployTask>("completeParallelDeploy");

    public void BuildBeforeStages(PipelineExecution execution, StageExecution parent, StageGraph graph)
    {
        foreach (var cluster in Clusters(parent.Context))
        {
            var context = (JsonObject)cluster.DeepClone();
            context["application"] ??= parent.Context["application"]?.DeepClone() ?? execution.Application;
            context["cloudProvider"] ??= parent.Context["cloudProvider"]?.DeepClone();
            var account = context["account"].AsString() ?? context["credentials"].AsString() ?? "";
            graph.Add(CreateServerGroupStage.StageType, $"Deploy in {account}", context);
        }
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        var clusters = Clusters(stageConfig);
        if (clusters.Count == 0 && !StageConfigChecks.IsExpression(stageConfig["clusters"]))
        {
            yield return new ValidationProblem($"{path}.clusters", "required for a 'deploy' stage: a list of clusters to deploy");
            yield break;
        }

        var field = stageConfig["clusters"] is JsonArray ? "clusters" : "cluster";
        for (var i = 0; i < clusters.Count; i++)
        {
            var where = field == "clusters" ? $"{path}.clusters[{i}]" : $"{path}.cluster";
            foreach (var problem in CreateServerGroupStage.ValidateCluster(clusters[i], where, StageType))
            {
                yield return problem;
            }
        }
    }

    private static List<JsonObject> Clusters(JsonObject context) =>
        context["clusters"] is JsonArray list ? list.OfType<JsonObject>().ToList()
        : context["cluster"] is JsonObject single ? [single]
        : [];
}
