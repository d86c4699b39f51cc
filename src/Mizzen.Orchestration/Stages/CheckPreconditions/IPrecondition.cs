using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.CheckPreconditions;

/// <summary>
/// One kind of precondition (<c>expression</c>, <c>stageStatus</c>; <c>clusterSize</c> arrives with cloud providers).
/// Registered in DI as <see cref="IPrecondition"/>; a provider adds its own kinds the same way.
/// </summary>
public interface IPrecondition
{
    /// <summary>The entry's <c>type</c> in <c>preconditions: [{type, context, failPipeline}]</c>.</summary>
    string Type { get; }

    /// <summary>SUCCEEDED when the precondition holds, TERMINAL (with a reason) when it does not.</summary>
    Task<TaskResult> CheckAsync(TaskContext context, JsonObject preconditionContext, CancellationToken cancellationToken);

    /// <summary>Checks the entry's <c>context</c>; <paramref name="path"/> is e.g. <c>stages[2].preconditions[0].context</c>.</summary>
    IEnumerable<ValidationProblem> Validate(JsonObject preconditionContext, string path);
}
