using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// <c>limitConcurrent</c> / <c>maxConcurrentExecutions</c>: decided inside the write transaction that starts the run,
/// so two triggers can never both slip through (Spinnaker's race, spinnaker#1070).
/// </summary>
public sealed class ConcurrencyGate
{
    public async Task<bool> ShouldQueueAsync(HandlerContext context, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        if (execution.PipelineConfigId is not { } configId)
        {
            return false;
        }

        if (execution.LimitConcurrent)
        {
            return await context.Transaction.CountActiveAsync(configId, execution.Id, cancellationToken) > 0;
        }

        return execution.MaxConcurrentExecutions > 0
               && await context.Transaction.CountActiveAsync(configId, execution.Id, cancellationToken) >= execution.MaxConcurrentExecutions;
    }

    public void Enqueue(HandlerContext context, EngineMessage message) =>
        context.Transaction.EnqueuePending(context.Execution.PipelineConfigId!, context.Execution.Id, message.Kind, MessageCodec.Payload(message));
}
