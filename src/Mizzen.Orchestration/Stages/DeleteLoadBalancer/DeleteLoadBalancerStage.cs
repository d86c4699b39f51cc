using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.DeleteLoadBalancer;

/// <summary><c>deleteLoadBalancer</c>: <c>loadBalancerName</c> (or Spinnaker's <c>loadBalancers[0].name</c>), <c>account</c>/<c>credentials</c>, <c>cloudProvider</c>. A missing one is not an error.</summary>
public sealed class DeleteLoadBalancerStage : IStageDefinition
{
    public const string StageType = "deleteLoadBalancer";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<DeleteLoadBalancerTask>("deleteLoadBalancer");

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
