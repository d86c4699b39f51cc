using System.Threading.Channels;
using Mizzen.Persistence.Coordination;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Notifications that an execution changed (committed), from this node and, through <see cref="INodeCoordination"/>, from
/// every other node on the store, so a live stream on one node shows a run another node executes. The API's live streams
/// subscribe; notifications carry ids only, subscribers read the stored state, so a slow subscriber never holds up the engine
/// (each has a bounded buffer that drops its oldest ids).
/// </summary>
public sealed class ExecutionEvents : IDisposable
{
    private readonly Lock gate = new();
    private readonly List<Subscription> subscriptions = [];
    private readonly INodeCoordination coordination;
    private readonly IDisposable feed;

    public ExecutionEvents(INodeCoordination coordination)
    {
        this.coordination = coordination;
        feed = coordination.OnExecutionChanged(Deliver);
    }

    /// <summary>Tells every node's subscribers (this node's at once) that <paramref name="executionId"/> changed.</summary>
    public void Publish(string executionId, string application) => coordination.PublishExecutionChanged(executionId, application);

    /// <summary>Changes of one execution (<paramref name="executionId"/>) or of every execution of an application.</summary>
    public Subscription Subscribe(string? executionId, string? application)
    {
        var subscription = new Subscription(this, executionId, application);
        lock (gate)
        {
            subscriptions.Add(subscription);
        }

        return subscription;
    }

    public void Dispose() => feed.Dispose();

    private void Deliver(string executionId, string application)
    {
        Subscription[] current;
        lock (gate)
        {
            current = [.. subscriptions];
        }

        // Empty ids: changes may have been missed (the node's signal connection was back after a loss). A subscription to one
        // execution re-reads it; an application's subscription has no id to read and waits for the next change.
        var missed = executionId.Length == 0;
        foreach (var subscription in current)
        {
            if (missed && subscription.ExecutionId is { } own)
            {
                subscription.Channel.Writer.TryWrite(own);
            }
            else if (!missed && subscription.Matches(executionId, application))
            {
                subscription.Channel.Writer.TryWrite(executionId);
            }
        }
    }

    public sealed class Subscription(ExecutionEvents owner, string? executionId, string? application) : IDisposable
    {
        internal Channel<string> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<string>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<string> Changes => Channel.Reader;

        internal string? ExecutionId => executionId;

        internal bool Matches(string id, string app) =>
            (executionId is null || executionId == id) && (application is null || string.Equals(application, app, StringComparison.OrdinalIgnoreCase));

        public void Dispose()
        {
            lock (owner.gate)
            {
                owner.subscriptions.Remove(this);
            }

            Channel.Writer.TryComplete();
        }
    }
}
