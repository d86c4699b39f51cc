using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Which node must handle the work of a stage. Nodes sharing one store are interchangeable except where a stage acts on
/// something bound to one host (a local account's processes and folder): its <c>runTask</c> and <c>cancelStage</c> messages
/// are then pushed for that node only (<see cref="Persistence.Queue.OutgoingMessage.Node"/>), so a run started on any node
/// deploys on the right host. Asked on every such push: an implementation reads only what is in memory (no store reads).
/// </summary>
public interface INodeAffinity
{
    /// <summary>The id of the node that must run <paramref name="stage"/>'s tasks, or null when any node may.</summary>
    string? NodeFor(PipelineExecution execution, StageExecution stage);
}

/// <summary>The default: every node can do every stage's work (one node, or providers with no host-bound accounts).</summary>
public sealed class AnyNode : INodeAffinity
{
    public static AnyNode Instance { get; } = new();

    public string? NodeFor(PipelineExecution execution, StageExecution stage) => null;
}
