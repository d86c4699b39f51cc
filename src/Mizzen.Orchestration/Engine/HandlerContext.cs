using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;
using Mizzen.Persistence;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// What a handler works with: the execution (tracked by the open transaction), the clock, and the messages and
/// after-commit actions it produces. Everything pushed commits with the state change, or not at all.
/// </summary>
public sealed class HandlerContext(IStoreTransaction transaction, PipelineExecution execution, TimeProvider time)
{
    private readonly List<Func<CancellationToken, Task>> afterCommit = [];

    public IStoreTransaction Transaction { get; } = transaction;

    public PipelineExecution Execution { get; } = execution;

    public TimeProvider Time { get; } = time;

    public long Now { get; } = time.GetUtcNow().ToUnixTimeMilliseconds();

    public IReadOnlyList<Func<CancellationToken, Task>> AfterCommitActions => afterCommit;

    public void Push(EngineMessage message) => Push(message, TimeSpan.Zero);

    /// <summary>When set, a message due now may be taken to be handled in this same transaction (see <see cref="InlineMessages"/>).</summary>
    internal Func<EngineMessage, bool>? TakeInline { get; init; }

    /// <summary>Which node must handle a stage's task work; see <see cref="NodeFor"/>.</summary>
    public INodeAffinity Affinity { get; init; } = AnyNode.Instance;

    public void Push(EngineMessage message, TimeSpan delay)
    {
        var node = NodeFor(message);
        if (node is null && delay <= TimeSpan.Zero && TakeInline?.Invoke(message) == true)
        {
            return;
        }

        Transaction.Push(MessageCodec.ToOutgoing(message, Now + (long)Math.Max(0, delay.TotalMilliseconds)) with { Node = node });
    }

    /// <summary>
    /// The node bound to the work a message does, or null for any node: a <c>runTask</c> runs its stage's task; a
    /// <c>cancelStage</c> asks the stage and its descendants to stop their external work (a job). A bound message is never
    /// handled inline: the node pushing it may not be the one that must handle it.
    /// </summary>
    private string? NodeFor(EngineMessage message)
    {
        if (ReferenceEquals(Affinity, AnyNode.Instance))
        {
            return null;
        }

        switch (message)
        {
            case RunTask run when Execution.Id == run.ExecutionId && Execution.StageById(run.StageId) is { } stage:
                return Affinity.NodeFor(Execution, stage);
            case CancelStage cancel when Execution.Id == cancel.ExecutionId && Execution.StageById(cancel.StageId) is { } stage:
                return Execution.Descendants(stage).Prepend(stage).Select(s => Affinity.NodeFor(Execution, s)).FirstOrDefault(n => n is not null);
            default:
                return null;
        }
    }

    /// <summary>Work with effects outside the database (cancel a child run, stop a job); runs only if the commit succeeds.</summary>
    public void AfterCommit(Func<CancellationToken, Task> action) => afterCommit.Add(action);
}
