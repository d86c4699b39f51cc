using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.SetTrafficWeights;

/// <summary>
/// <c>setTrafficWeights</c>: <c>account</c>/<c>credentials</c>, <c>cloudProvider</c>, <c>loadBalancer</c> (its name),
/// <c>targets[{serverGroup, weight}]</c> where a target may instead name <c>cluster</c> + <c>target</c> (current_asg_dynamic ...).
/// Replaces the load balancer's targets; outputs <c>loadBalancer</c> as upsertLoadBalancer does.
/// </summary>
public sealed class SetTrafficWeightsStage : IStageDefinition
{
    public const string StageType = "setTrafficWeights";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<SetTrafficWeightsTask>("setTrafficWeights");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        foreach (var problem in TargetStageValidation.Account(stageConfig, path, StageType))
        {
            yield return problem;
        }

        if (LoadBalancerFields.Name(stageConfig) is null)
        {
            yield return StageConfigChecks.Required(path, "loadBalancer", StageType);
        }

        if (stageConfig["targets"] is not JsonArray { Count: > 0 } && !StageConfigChecks.IsExpression(stageConfig["targets"]))
        {
            yield return new ValidationProblem($"{path}.targets", "required for a 'setTrafficWeights' stage: [{\"serverGroup\", \"weight\"}]");
        }
    }
}
