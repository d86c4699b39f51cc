using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.UpsertLoadBalancer;

/// <summary>
/// <c>upsertLoadBalancer</c>: <c>loadBalancerName</c> (or Spinnaker's <c>loadBalancers[0].name</c>), <c>account</c>/<c>credentials</c>, <c>cloudProvider</c>, <c>port</c>
/// (0 or absent: the provider picks one and keeps it), <c>targets[{serverGroup, weight}]</c>. Outputs <c>loadBalancer{name, account, port, url, targets}</c>.
/// </summary>
public sealed class UpsertLoadBalancerStage : IStageDefinition
{
    public const string StageType = "upsertLoadBalancer";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<UpsertLoadBalancerTask>("upsertLoadBalancer");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        foreach (var problem in TargetStageValidation.Account(stageConfig, path, StageType))
        {
            yield return problem;
        }

        if (LoadBalancerFields.Name(stageConfig) is null)
        {
            yield return StageConfigChecks.Required(path, "loadBalancerName", StageType);
        }
    }
}
