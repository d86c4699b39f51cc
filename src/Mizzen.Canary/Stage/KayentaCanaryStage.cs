using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Canary.Stage;

/// <summary>
/// <c>kayentaCanary</c>: automated canary analysis (Orca's <c>KayentaCanaryStage</c>). Tasks: <c>runCanaryIntervals</c>
/// (one judgment per interval, failing early at or below marginal) and <c>aggregateCanaryResults</c> (the final verdict
/// from the last interval). With a <c>deployments</c> block it also deploys the control and experiment server groups
/// before, and cleans them up after (or on failure); see <see cref="CanaryDeploymentStages"/>.
/// </summary>
public sealed class KayentaCanaryStage : IStageDefinition
{
    public const string StageType = "kayentaCanary";

    public string Type => StageType;

    public IReadOnlyList<string> Aliases => ["canary"];

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        tasks.Add<RunCanaryIntervalsTask>("runCanaryIntervals");
        tasks.Add<AggregateCanaryResultsTask>("aggregateCanaryResults");
    }

    public void BuildBeforeStages(PipelineExecution execution, StageExecution parent, StageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (CanaryDeployments.Read(parent.Context) is { } deployments)
        {
            CanaryDeploymentStages.Before(parent, deployments, graph);
        }
    }

    public void BuildAfterStages(PipelineExecution execution, StageExecution parent, StageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (CanaryDeployments.Read(parent.Context) is { } deployments)
        {
            CanaryDeploymentStages.Cleanup(execution, parent, deployments, graph);
        }
    }

    /// <summary>The same cleanup, unless the after-stages already did it (a FAILED_CONTINUE canary runs its after-stages).</summary>
    public void BuildOnFailureStages(PipelineExecution execution, StageExecution stage, StageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (!stage.ContextFlag("afterStagesPlanned") && CanaryDeployments.Read(stage.Context) is { } deployments)
        {
            CanaryDeploymentStages.Cleanup(execution, stage, deployments, graph);
        }
    }

    /// <summary>A restarted canary plans and judges again from the start.</summary>
    public void PrepareForRestart(StageExecution stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        stage.Context.Remove(CanaryIntervalRecord.PlanKey);
        stage.Context.Remove(CanaryIntervalRecord.ResultsKey);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
        => KayentaCanaryValidation.Validate(stageConfig, path);
}
