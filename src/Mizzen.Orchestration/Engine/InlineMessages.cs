using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine.Handlers;
using Mizzen.Orchestration.Queue;
using Mizzen.Persistence;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Handles the messages a handler pushes for the same run and due now inside the transaction that is already open,
/// instead of committing them to the queue and claiming them again: a stage then costs about one transaction
/// instead of five. The effect is the one the queue would have: the same handlers, in the order pushed, on the same
/// state. <c>runTask</c> and <c>evaluateStage</c> always go through the queue (their work happens outside any transaction), and at most
/// <see cref="Budget"/> messages are inlined per transaction so one run cannot hold the write lock for long.
/// </summary>
internal sealed class InlineMessages(
    IReadOnlyDictionary<string, IMessageHandler> byKind, IStoreTransaction transaction, PipelineExecution execution, TimeProvider time, INodeAffinity affinity)
{
    public const int Budget = 8;

    private readonly Queue<EngineMessage> pending = new();
    private readonly List<HandlerContext> contexts = [];
    private int budget = Budget;

    /// <summary>The after-commit actions of every handler run in this transaction, in order.</summary>
    public IEnumerable<Func<CancellationToken, Task>> AfterCommitActions => contexts.SelectMany(c => c.AfterCommitActions);

    public HandlerContext NewContext()
    {
        var context = new HandlerContext(transaction, execution, time) { TakeInline = Take, Affinity = affinity };
        contexts.Add(context);
        return context;
    }

    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (pending.TryDequeue(out var next))
        {
            await byKind[next.Kind].HandleAsync(NewContext(), next, cancellationToken);
        }
    }

    private bool Take(EngineMessage message)
    {
        if (budget <= 0 || message.ExecutionId != execution.Id || message is RunTask or EvaluateStage || !byKind.ContainsKey(message.Kind))
        {
            return false;
        }

        budget--;
        pending.Enqueue(message);
        return true;
    }
}
