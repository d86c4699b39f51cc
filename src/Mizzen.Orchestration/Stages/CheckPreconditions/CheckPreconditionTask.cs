using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.CheckPreconditions;

/// <summary>Runs the <see cref="IPrecondition"/> named by the stage's <c>preconditionType</c> on its <c>context</c>.</summary>
public sealed class CheckPreconditionTask(IEnumerable<IPrecondition> preconditions) : ITask
{
    public const string PreconditionTypeKey = "preconditionType";

    private readonly IReadOnlyList<IPrecondition> known = preconditions.ToList();

    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var type = context.Context[PreconditionTypeKey].AsString() ?? "";
        var precondition = known.FirstOrDefault(p => string.Equals(p.Type, type, StringComparison.OrdinalIgnoreCase));
        if (precondition is null)
        {
            var supported = string.Join(", ", known.Select(p => p.Type).Order(StringComparer.Ordinal));
            return Task.FromResult(TaskResult.Terminal($"Unknown precondition type '{type}' (supported: {supported})"));
        }

        var preconditionContext = context.Context["context"] as JsonObject ?? [];
        return precondition.CheckAsync(context, preconditionContext, cancellationToken);
    }
}
