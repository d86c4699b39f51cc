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

    public void Push(EngineMessage message, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero && TakeInline?.Invoke(message) == true)
        {
            return;
        }

        Transaction.Push(MessageCodec.ToOutgoing(message, Now + (long)Math.Max(0, delay.TotalMilliseconds)));
    }

    /// <summary>Work with effects outside the database (cancel a child run, stop a job); runs only if the commit succeeds.</summary>
    public void AfterCommit(Func<CancellationToken, Task> action) => afterCommit.Add(action);
}
